"""Who may do what: the permission table of reference §3.1.

Owns the permission sets per operation family (application ``roles`` vs delegated
``scp``), the operations application permissions cannot do at all (publish, activate,
deactivate, assignment edits and deletes, resources, category and rubric references,
unsubmit), those delegated permissions cannot do (listing users, roster writes), and the
per-class rules for signed-in users: a user sees only classes they belong to, only
teachers author and grade, students see only their own submissions.
"""

from __future__ import annotations

import attrs

from unified_edu.sandbox._core import Principal
from unified_edu.sandbox.graph._errors import GraphError, denied
from unified_edu.sandbox.graph._store import Store

__all__ = [
    "ASSIGNMENTS_READ",
    "ASSIGNMENTS_WRITE",
    "AUTHORING",
    "GRADES_READ",
    "GRADING",
    "MEMBERS_READ",
    "ME_ONLY",
    "ROSTER_READ",
    "ROSTER_WRITE",
    "UNSUBMIT",
    "USERS_READ",
    "Permission",
    "check",
    "class_role",
    "require_teacher",
]


@attrs.frozen
class Permission:
    """Accepted permissions; ``None`` on a side means "not supported" for that kind of
    token (403 whatever it holds)."""

    app: frozenset[str] | None
    delegated: frozenset[str] | None
    extra_app: frozenset[str] = frozenset()  # app-only also needs all of these


def _p(app: str | None, delegated: str | None, extra_app: str = "") -> Permission:
    return Permission(
        app=frozenset(app.split()) if app is not None else None,
        delegated=frozenset(delegated.split()) if delegated is not None else None,
        extra_app=frozenset(extra_app.split()),
    )


_R_APP = "EduRoster.ReadBasic.All EduRoster.Read.All EduRoster.ReadWrite.All"
_R_DEL = "EduRoster.ReadBasic EduRoster.Read EduRoster.ReadWrite"
ROSTER_READ = _p(_R_APP, _R_DEL)
# Class members also need Member.Read.Hidden app-only (reference §3.1).
MEMBERS_READ = _p(_R_APP, _R_DEL, extra_app="Member.Read.Hidden")
USERS_READ = _p("EduRoster.Read.All EduRoster.ReadWrite.All", None)
ROSTER_WRITE = _p("EduRoster.ReadWrite.All", None)
ASSIGNMENTS_READ = _p(
    "EduAssignments.ReadBasic.All EduAssignments.Read.All "
    "EduAssignments.ReadWriteBasic.All EduAssignments.ReadWrite.All",
    "EduAssignments.ReadBasic EduAssignments.Read "
    "EduAssignments.ReadWriteBasic EduAssignments.ReadWrite",
)
# "Basic" means without grades: outcomes need a non-Basic permission.
GRADES_READ = _p(
    "EduAssignments.Read.All EduAssignments.ReadWrite.All",
    "EduAssignments.Read EduAssignments.ReadWrite",
)
ASSIGNMENTS_WRITE = _p(
    "EduAssignments.ReadWriteBasic.All EduAssignments.ReadWrite.All",
    "EduAssignments.ReadWriteBasic EduAssignments.ReadWrite",
)
AUTHORING = _p(None, "EduAssignments.ReadWriteBasic EduAssignments.ReadWrite")
GRADING = _p("EduAssignments.ReadWrite.All", "EduAssignments.ReadWrite")
UNSUBMIT = _p(None, "EduAssignments.ReadWriteBasic EduAssignments.ReadWrite")
ME_ONLY = _p(
    None,
    "EduAssignments.ReadBasic EduAssignments.Read "
    "EduAssignments.ReadWriteBasic EduAssignments.ReadWrite",
)


def check(principal: Principal, permission: Permission, operation: str) -> None:
    """Raise Graph's 403 unless ``principal`` may perform ``operation``."""
    if principal.app_only:
        if permission.app is None:
            raise denied(f"{operation} is not supported with application permissions.")
        accepted, kind = permission.app, "role"
        missing_extra = permission.extra_app - principal.scopes
        if missing_extra and principal.scopes & accepted:
            raise denied(
                f"Missing role permissions on the request. API requires "
                f"'{', '.join(sorted(missing_extra))}' for {operation}."
            )
    else:
        if permission.delegated is None:
            raise denied(f"{operation} is not supported with delegated permissions.")
        accepted, kind = permission.delegated, "scope"
    if not principal.scopes & accepted:
        held = ", ".join(sorted(principal.scopes)) or "none"
        raise denied(
            f"Missing {kind} permissions on the request. API requires one of "
            f"'{', '.join(sorted(accepted))}'. {kind.capitalize()}s on the request '{held}'."
        )


def class_role(store: Store, principal: Principal, class_id: str) -> str:
    """``"app"``, ``"teacher"`` or ``"student"`` for the caller in a class.

    Raises:
        GraphError: 404 for an unknown class; 403 when a signed-in user does not belong
            to it (delegated callers only reach their own classes, reference §3.5).
    """
    state = store.class_state(class_id)
    if principal.app_only:
        return "app"
    if principal.subject in state.teachers:
        return "teacher"
    if principal.subject in state.members:
        return "student"
    raise denied("The signed-in user is not a member of this class.")


def require_teacher(store: Store, principal: Principal, class_id: str, operation: str) -> str:
    """:func:`class_role`, refusing students (only teachers author and grade)."""
    role = class_role(store, principal, class_id)
    if role == "student":
        raise GraphError(403, "accessDenied", f"{operation} requires a teacher of the class.")
    return role
