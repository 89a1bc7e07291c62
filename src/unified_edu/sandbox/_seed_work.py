"""Students' work on one piece of seeded homework.

Most students turn in (some late), teachers return most of that with a grade, a few
never start. Platform-only states stay on their platform: reclaimed on Google,
excused and reassigned (and feedback text) on Microsoft. Every timestamp lies between
publishing and ``as_of``. This is the generator's hot loop (about 70,000 items per
scale unit), so it binds lookups to locals and draws as few numbers as it can. Imports
only the neutral city types, the word lists and the time helpers.
"""

from __future__ import annotations

import datetime as dt
import random

from unified_edu.sandbox._city import CityHomework, CityWork, PlatformName
from unified_edu.sandbox._names import FEEDBACK
from unified_edu.sandbox._seed_time import sofia_to_utc

__all__ = ["deadline_of", "make_work"]

_DAY = 86_400.0
_SECOND = dt.timedelta(seconds=1)
_NEVER_TURN_IN = 0.12
_LATE = 0.12
_NEW_SHARE = 0.35  # of those not turned in: never opened it
_RECLAIMED = 0.03  # Google
_EXCUSED = 0.02  # Microsoft
_RETURNED = 0.75
_REASSIGNED = 0.10  # Microsoft, of returned
_PRIVATE_GRADE = 0.25  # of turned in, not returned: graded but not yet released
_FEEDBACK = 0.35  # Microsoft, of graded and returned
_EXTRA_CREDIT = 0.003


def deadline_of(homework: CityHomework) -> dt.datetime | None:
    """The instant after which work is late: a date-only deadline ends at local midnight."""
    due = homework.due
    if due is None or isinstance(due, dt.datetime):
        return due
    return sofia_to_utc(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))


def _grade(rng: random.Random, max_points: float) -> float:
    """Points skewed towards the top, in [0.3, 1] of the maximum; rarely extra credit."""
    if rng.random() < _EXTRA_CREDIT:
        return max_points + max(1.0, round(max_points * 0.1))
    return float(round(max_points * (1.0 - 0.7 * rng.random() ** 2)))


def make_work(
    rng: random.Random,
    homework: CityHomework,
    enrolled: tuple[str, ...],
    platform: PlatformName,
    as_of: dt.datetime,
) -> list[CityWork]:
    """One work item per assigned student of published or inactive homework."""
    published = homework.published_at
    if homework.state not in ("published", "inactive") or published is None:
        return []
    deadline = deadline_of(homework)
    past_due = deadline is not None and as_of > deadline
    window = (as_of - published).total_seconds()
    span = (deadline - published).total_seconds() if deadline is not None else 5 * _DAY
    google = platform == "google"
    max_points = homework.max_points
    homework_key = homework.key
    prefix = homework_key + "-"
    draw = rng.random
    second = _SECOND  # timedelta * int is much cheaper than timedelta(seconds=...)
    work = CityWork
    out: list[CityWork] = []
    for student in homework.student_keys or enrolled:
        key = prefix + student
        if not google and draw() < _EXCUSED:
            excused = published + second * int(draw() * window)
            out.append(
                work(
                    key=key,
                    homework_key=homework_key,
                    student_key=student,
                    state="excused",
                    updated_at=excused,
                    excused_at=excused,
                )
            )
            continue
        turned: dt.datetime | None = None
        if draw() >= _NEVER_TURN_IN:
            if deadline is not None and draw() < _LATE:
                turned = deadline + second * int(60 + draw() * 4 * _DAY)
            else:
                turned = published + second * int(draw() * span)
        if turned is None or turned > as_of:
            opened = draw() >= _NEW_SHARE
            out.append(
                work(
                    key=key,
                    homework_key=homework_key,
                    student_key=student,
                    state="in_progress" if opened else "new",
                    updated_at=published + second * int(draw() * window) if opened else published,
                    late=past_due,
                )
            )
            continue
        if google and draw() < _RECLAIMED:
            # Turned in, then taken back by the student: no longer counts as turned in.
            updated = min(as_of, turned + second * int(draw() * 2 * _DAY))
            out.append(
                work(
                    key=key,
                    homework_key=homework_key,
                    student_key=student,
                    state="reclaimed",
                    updated_at=updated,
                    turned_in_at=turned,
                    late=past_due,
                )
            )
            continue
        late = deadline is not None and turned > deadline
        points = None if max_points is None else _grade(rng, max_points)
        returned = turned + second * int(600 + draw() * 5 * _DAY)
        if returned <= as_of and draw() < _RETURNED:
            reassigned = not google and draw() < _REASSIGNED
            feedback = None
            if not google and points is not None and draw() < _FEEDBACK:
                feedback = FEEDBACK[int(draw() * len(FEEDBACK))]
            out.append(
                work(
                    key=key,
                    homework_key=homework_key,
                    student_key=student,
                    state="reassigned" if reassigned else "returned",
                    updated_at=returned,
                    turned_in_at=turned,
                    returned_at=returned,
                    late=late,
                    draft_points=points,
                    released_points=points,
                    feedback=feedback,
                )
            )
            continue
        out.append(
            work(
                key=key,
                homework_key=homework_key,
                student_key=student,
                state="turned_in",
                updated_at=turned,
                turned_in_at=turned,
                late=late,
                draft_points=points if draw() < _PRIVATE_GRADE else None,
            )
        )
    return out
