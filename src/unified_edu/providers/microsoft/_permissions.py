"""What app-only and delegated Graph credentials may do, and what to use instead.

Owns the capability narrowing of reference §3.1: application permissions cannot publish
(nor activate, deactivate, edit or delete homework, attach resources or categories);
delegated permissions cannot change rosters or list every user. The reasons name the
alternative credential. Pure data; this module must not import msgraph.
"""

from __future__ import annotations

from unified_edu.providers._capabilities import Capability
from unified_edu.providers.microsoft._auth import AuthMode

__all__ = ["APP_HINT", "DELEGATED_HINT", "REASONS", "narrowed", "reason"]

DELEGATED_HINT = (
    "sign in as a teacher with delegated permissions instead: "
    "MicrosoftEducationProvider.from_device_code(...) or a delegated token (see "
    "docs/microsoft.md, 'What app-only cannot do')"
)
APP_HINT = (
    "use an app-only credential with the application permission EduRoster.ReadWrite.All "
    "instead: MicrosoftEducationProvider.from_client_secret(...) or from_certificate(...)"
)
REASONS: dict[tuple[AuthMode, Capability], str] = {
    ("app_only", Capability.PUBLISH_ASSIGNMENTS): (
        "Graph does not let applications publish assignments (POST …/publish is "
        "delegated-only); " + DELEGATED_HINT
    ),
    ("delegated", Capability.WRITE_CLASSES): (
        "Graph allows class writes only with application permissions; " + APP_HINT
    ),
    ("delegated", Capability.WRITE_ENROLLMENTS): (
        "Graph allows roster changes only with application permissions; " + APP_HINT
    ),
}


def narrowed(capabilities: frozenset[Capability], mode: AuthMode) -> frozenset[Capability]:
    """``capabilities`` without what a credential of ``mode`` cannot do."""
    return capabilities - {cap for kind, cap in REASONS if kind == mode}


def reason(mode: AuthMode, capability: Capability) -> str:
    """Why ``capability`` is missing for ``mode`` and what to use instead ("" if it is not)."""
    if capability is Capability.INVITE_GUARDIANS:
        return (
            "Graph v1.0 has no guardian invitations; guardians are the read-only "
            "relatedContacts synced from the school's information system"
        )
    return REASONS.get((mode, capability), "")
