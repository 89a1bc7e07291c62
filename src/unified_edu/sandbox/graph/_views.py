"""What a caller sees of an assignment or submission, depending on ``Prefer``.

Graph hides enum members added after v1.0 shipped unless the caller sends
``Prefer: include-unknown-enum-members`` (reference §3.3, conformance
``educationassignment-deactivate.1/.2``, ``educationsubmission-excuse.1/.2``,
``educationsubmission-reassign.1/.2``):

- assignment ``inactive`` reads ``unknownFutureValue``; ``addToCalendarAction``
  ``studentsOnly`` reads ``unknownFutureValue``;
- submission ``reassigned`` and ``excused`` read ``returned``, and the reassign (excuse)
  time and actor are shown as ``returnedDateTime``/``returnedBy``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["assignment_view", "submission_view"]

Json = dict[str, Any]

_HIDDEN = "unknownFutureValue"


def assignment_view(data: Json, include_unknown: bool) -> Json:
    """A copy of an assignment as the caller may see it."""
    out = dict(data)
    if not include_unknown:
        if out.get("status") == "inactive":
            out["status"] = _HIDDEN
        if out.get("addToCalendarAction") == "studentsOnly":
            out["addToCalendarAction"] = _HIDDEN
    return out


def submission_view(data: Json, include_unknown: bool) -> Json:
    """A copy of a submission as the caller may see it."""
    out = dict(data)
    status = out.get("status")
    if include_unknown or status not in ("reassigned", "excused"):
        return out
    out["status"] = "returned"
    out["returnedDateTime"] = out.get(f"{status}DateTime")
    out["returnedBy"] = out.get(f"{status}By")
    return out
