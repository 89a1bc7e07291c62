"""Grading on the Google provider: draft grades and returning work.

Classroom keeps two grades per submission: ``draftGrade`` (teachers only) and
``assignedGrade`` (what the student sees). ``set_grade`` writes the draft.
``return_submission`` first releases the draft (``assignedGrade = draftGrade``, because
the API's ``:return``, unlike the web UI, does not copy it) and then returns the work.
Both run as a teacher of the course, and only on homework this developer project
created (``@ProjectPermissionDenied`` otherwise, mapped to ``PermissionDeniedError``
with the rule spelled out).

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from unified_edu.errors import ValidationError
from unified_edu.models import Submission
from unified_edu.providers.google import _mapping as mapping
from unified_edu.providers.google import _mapping_work as work_mapping
from unified_edu.providers.google._core import Core

__all__ = ["GradingMixin"]

_SKEW = dt.timedelta(minutes=2)


def _returned_since(sub: Any, since: dt.datetime) -> bool:
    if sub.get("state") != "RETURNED":
        return False
    for entry in sub.get("submissionHistory", ()):
        state = entry.get("stateHistory") or {}
        when = mapping.parse_time(state.get("stateTimestamp"))
        if state.get("state") == "RETURNED" and when is not None and when >= since:
            return True
    return False


class GradingMixin(Core):
    """Grading (see the module docstring)."""

    def _submissions(self, s: Any) -> Any:
        return s.courses().courseWork().studentSubmissions()

    def _fetch_submission(
        self, subject: str | None, class_id: str, assignment_id: str, submission_id: str
    ) -> Any:
        return self._transport.execute(
            subject,
            lambda s: self._submissions(s).get(
                courseId=class_id, courseWorkId=assignment_id, id=submission_id
            ),
        )

    def _patch_grade(
        self,
        subject: str | None,
        ids: tuple[str, str, str],
        field: str,
        points: float,
    ) -> Any:
        class_id, assignment_id, submission_id = ids
        # Writing the same grade twice is harmless, so this patch may be retried.
        return self._transport.execute(
            subject,
            lambda s: self._submissions(s).patch(
                courseId=class_id,
                courseWorkId=assignment_id,
                id=submission_id,
                updateMask=field,
                body={field: points},
            ),
        )

    def _set_grade(
        self, class_id: str, assignment_id: str, submission_id: str, *, points: float
    ) -> Submission:
        """Set ``draftGrade`` as a teacher of the class.

        Raises:
            ValidationError: For ungraded homework, or points above its maximum (unless
                the provider allows extra credit), before the patch is sent.

        Calls: GET .../courseWork/{id} (once per homework, for its maximum), then
        PATCH .../studentSubmissions/{id}?updateMask=draftGrade.
        """
        max_points = self._max_points(class_id, assignment_id)
        if max_points is None:
            raise ValidationError(
                "the homework is ungraded (no max_points); Classroom keeps no grade for it",
                field="points",
            )
        if points > max_points and not self._allow_extra_credit:
            raise ValidationError(
                f"{points:g} points exceed the homework's maximum of {max_points:g}; build "
                "the provider with allow_extra_credit=True to allow it",
                field="points",
            )
        teacher = self._teacher(class_id)
        ids = (class_id, assignment_id, submission_id)
        sub = self._patch_grade(teacher, ids, "draftGrade", points)
        return work_mapping.to_submission(sub, self._ref, max_points=max_points)

    def _return_submission(
        self, class_id: str, assignment_id: str, submission_id: str
    ) -> Submission:
        """Return the work and release its draft grade, as a teacher of the class.

        The return comes first: if Classroom refuses it (work never turned in), nothing
        has been written; releasing the grade before would leave a released grade on
        work that was not returned.

        Calls: GET .../studentSubmissions/{id}; POST .../{id}:return; PATCH
        ...?updateMask=assignedGrade when a draft grade differs from the released one;
        GET again for the settled submission.
        """
        teacher = self._teacher(class_id)
        ids = (class_id, assignment_id, submission_id)
        sub = self._fetch_submission(teacher, *ids)
        started = dt.datetime.now(dt.UTC)

        def give_back() -> Any:
            return self._transport.execute(
                teacher,
                lambda s: self._submissions(s).return_(
                    courseId=class_id, courseWorkId=assignment_id, id=submission_id, body={}
                ),
                idempotent=False,
            )

        def find() -> Any:
            now = self._fetch_submission(teacher, *ids)
            return now if _returned_since(now, started - _SKEW) else None

        self._once(give_back, find)
        draft = sub.get("draftGrade")
        if draft is not None and draft != sub.get("assignedGrade"):
            # Classroom's return does not copy the draft grade; release it explicitly.
            self._patch_grade(teacher, ids, "assignedGrade", float(draft))
        final = self._fetch_submission(teacher, *ids)
        return work_mapping.to_submission(
            final, self._ref, max_points=self._max_points(class_id, assignment_id)
        )
