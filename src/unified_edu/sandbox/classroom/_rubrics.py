"""``courses.courseWork.rubrics``: list and get, and the seeded rubrics' criteria.

At most one rubric exists per courseWork, so ``list`` pages hold at most one rubric
(discovery: "The maximum value is 1; values above 1 are coerced to 1"). Rubrics are as
visible as their courseWork. Seeded criteria have scored levels, sorted from the highest,
with points unique within a criterion (reference §2.6, rubric rules). A level's
``points`` is an optional field ("0 is distinct from no points"), so 0 is sent.

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing
from unified_edu.sandbox.classroom._coursework import find_work
from unified_edu.sandbox.classroom._errors import not_found
from unified_edu.sandbox.classroom._ids import IdMint
from unified_edu.sandbox.classroom._routing import Route, scopes

__all__ = ["ROUTES", "seeded_criteria"]

_CRITERIA = (
    ("Съдържание", "Пълнота и точност на отговорите."),
    ("Оформление", "Четливост, структура и правопис."),
    ("Аргументация", "Обосновка на решенията и изводите."),
)
_LEVELS = (("Отлично", 1.0), ("Добро", 2 / 3), ("Задоволително", 1 / 3), ("Слабо", 0.0))


def seeded_criteria(mint: IdMint, rubric_id: str, max_points: float) -> list[dict[str, Any]]:
    """Three criteria sharing ``max_points``, four scored levels each."""
    top = round(max_points / len(_CRITERIA), 2)
    criteria = []
    for index, (title, description) in enumerate(_CRITERIA):
        key = f"{rubric_id}:{index}"
        levels = [
            {
                "id": mint.token("rubric-level", f"{key}:{n}", 12),
                "title": level,
                "points": round(top * share, 2),
            }
            for n, (level, share) in enumerate(_LEVELS)
        ]
        criteria.append(
            {
                "id": mint.token("rubric-criterion", key, 12),
                "title": title,
                "description": description,
                "levels": levels,
            }
        )
    return criteria


def list_rubrics(call: Call) -> dict[str, Any]:
    """``GET .../courseWork/{courseWorkId}/rubrics``."""
    course = call.course()
    work = find_work(call, course, call.params["courseWorkId"])
    found = [r for r in call.store.rubrics.values() if r.course_work_id == work.id]
    page, token = call.page(found, lambda r: (r.seq,), cap=1)
    return listing("rubrics", [wire.rubric(r) for r in page], token)


def get_rubric(call: Call) -> dict[str, Any]:
    """``GET .../courseWork/{courseWorkId}/rubrics/{id}``."""
    course = call.course()
    work = find_work(call, course, call.params["courseWorkId"])
    rubric = call.store.rubrics.get(call.params["id"])
    if rubric is None or rubric.course_work_id != work.id:
        raise not_found()
    return wire.rubric(rubric)


_BASE = "v1/courses/{courseId}/courseWork/{courseWorkId}/rubrics"
_READ = scopes(
    "coursework.me", "coursework.me.readonly", "coursework.students", "coursework.students.readonly"
)
ROUTES = (
    Route("classroom.courses.courseWork.rubrics.list", "GET", _BASE, _READ, list_rubrics),
    Route("classroom.courses.courseWork.rubrics.get", "GET", _BASE + "/{id}", _READ, get_rubric),
)
