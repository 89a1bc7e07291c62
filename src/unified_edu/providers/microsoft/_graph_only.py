"""Graph-only operations of the Microsoft provider (not in the common interface).

Owns :class:`GraphOnlyMixin`: delta sync of classes and homework, deactivating and
activating homework, and turning work in or taking it back. The provider supplies the
plumbing (``_run``, ``_action``, ``_require_delegated``, ``_ctx``).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from unified_edu.models import Assignment, Class, Submission
from unified_edu.providers._capabilities import Capability
from unified_edu.providers.microsoft import _writes as writes
from unified_edu.providers.microsoft._context import GraphContext
from unified_edu.providers.microsoft._delta import SyncResult, sync_assignments, sync_classes

__all__ = ["GraphOnlyMixin"]

T = TypeVar("T")


class GraphOnlyMixin:
    """Graph-only methods; mixed into :class:`MicrosoftEducationProvider`."""

    _ctx: GraphContext

    if TYPE_CHECKING:  # supplied by the provider and the Provider base class

        def require(self, capability: Capability) -> None: ...

        def _run(self, coro: Coroutine[Any, Any, T]) -> T: ...

        def _require_delegated(self, operation: str) -> None: ...

        def _action(
            self, class_id: str, assignment_id: str, submission_id: str, action: str
        ) -> Submission: ...

    def sync_classes(self, delta_link: str | None = None) -> SyncResult[Class]:
        """Classes changed since ``delta_link`` (all on the first round) and the next link.

        Calls: GET /education/classes/delta() and its links.
        """
        self.require(Capability.READ_CLASSES)
        return self._run(sync_classes(self._ctx, delta_link))

    def sync_assignments(
        self, class_id: str, delta_link: str | None = None
    ) -> SyncResult[Assignment]:
        """A class's homework changed since ``delta_link`` and the next link.

        Calls: GET /education/classes/{id}/assignments/delta() and its links.
        """
        self.require(Capability.READ_ASSIGNMENTS)
        return self._run(sync_assignments(self._ctx, class_id, delta_link))

    def deactivate_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        """Make assigned homework ``INACTIVE`` (hidden from students' to-do). Delegated only.

        Calls: POST …/assignments/{id}/deactivate; GET until it reads ``inactive``.
        """
        self._require_delegated("deactivating assignments")
        return self._run(writes.deactivate_assignment(self._ctx, class_id, assignment_id))

    def activate_assignment(self, class_id: str, assignment_id: str) -> Assignment:
        """Make inactive homework assigned again. Delegated only.

        Calls: POST …/assignments/{id}/activate; GET until it reads ``assigned``.
        """
        self._require_delegated("activating assignments")
        return self._run(writes.activate_assignment(self._ctx, class_id, assignment_id))

    def submit_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        """Turn the work in (a student, or a teacher on the student's behalf).

        Calls: POST …/submissions/{id}/submit; GET until it reads ``submitted``.
        """
        return self._action(class_id, assignment_id, submission_id, "submit")

    def unsubmit_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        """Take a turn-in back (delegated only).

        Calls: POST …/submissions/{id}/unsubmit; GET until it reads ``working``.
        """
        self._require_delegated("unsubmitting")
        return self._action(class_id, assignment_id, submission_id, "unsubmit")
