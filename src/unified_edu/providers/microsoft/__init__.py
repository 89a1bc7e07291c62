"""Microsoft 365 Education (Microsoft Graph v1.0) backend.

Importing this package does not import msgraph: it is loaded when a provider is built.

    provider = MicrosoftEducationProvider.from_token("contoso", token, base_url=url)

See ``docs/microsoft.md`` for app registration, permissions and national clouds.
"""

from unified_edu.providers.microsoft._auth import CLOUDS, Cloud, GraphCredentials
from unified_edu.providers.microsoft._context import PollPolicy
from unified_edu.providers.microsoft._delta import SyncResult
from unified_edu.providers.microsoft._provider import MicrosoftEducationProvider

__all__ = [
    "CLOUDS",
    "Cloud",
    "GraphCredentials",
    "MicrosoftEducationProvider",
    "PollPolicy",
    "SyncResult",
]
