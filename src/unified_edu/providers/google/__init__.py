"""The Google Classroom backend (Classroom API v1 through google-api-python-client).

Importing this package imports googleapiclient, google-auth and httplib2; the registry
imports it lazily (``get_provider_class("google")``). See ``docs/google.md``.
"""

from unified_edu.providers.google._auth import READ_ONLY_SCOPES, SCOPES
from unified_edu.providers.google._provider import GoogleClassroomProvider
from unified_edu.providers.google._transport import TransportStats

__all__ = ["READ_ONLY_SCOPES", "SCOPES", "GoogleClassroomProvider", "TransportStats"]
