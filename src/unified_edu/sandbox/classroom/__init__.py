"""The Google Classroom API v1 emulator of the sandbox.

:class:`ClassroomApp` serves the seeded city's Google schools in Classroom's wire format
(paths, JSON, errors, paging, batch, OAuth) so that the unmodified
google-api-python-client and google-auth cannot tell it from Google. The server in
``unified_edu.sandbox`` constructs it; tests may too.

This package must not import any platform client.
"""

from unified_edu.sandbox.classroom._app import ClassroomApp
from unified_edu.sandbox.classroom._directory import org_unit_path

__all__ = ["ClassroomApp", "org_unit_path"]
