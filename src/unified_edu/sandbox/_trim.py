"""A smaller city cut from a seeded one, for fast tests of code that writes."""

from __future__ import annotations

from collections.abc import Collection

import attrs

from unified_edu.sandbox._city import City

__all__ = ["trim_city"]


def trim_city(
    city: City,
    *,
    schools: Collection[str],
    classes_per_school: int,
    with_work: bool = True,
) -> City:
    """Keep only ``schools`` (keys), their first ``classes_per_school`` classes, those
    classes' homework and (unless ``with_work`` is False) the pupils' work on it.

    People of the kept schools and every guardian stay, so rosters and guardian links
    remain whole. Pass the result to ``Sandbox.start(city=...)``.
    """
    kept = [s for s in city.schools if s.key in schools]
    keys = {s.key for s in kept}
    classes = [
        c
        for school in kept
        for c in [c for c in city.classes if c.school_key == school.key][:classes_per_school]
    ]
    class_keys = {c.key for c in classes}
    homework = [h for h in city.homework if h.class_key in class_keys]
    homework_keys = {h.key for h in homework}
    people = [p for p in city.people if p.school_key in keys or p.school_key is None]
    people_keys = {p.key for p in people}
    return attrs.evolve(
        city,
        schools=tuple(kept),
        classes=tuple(classes),
        homework=tuple(homework),
        work=tuple(w for w in city.work if with_work and w.homework_key in homework_keys),
        people=tuple(people),
        guardians=tuple(
            g
            for g in city.guardians
            if g.student_key in people_keys and g.guardian_key in people_keys
        ),
    )
