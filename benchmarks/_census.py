"""How many items each listing of the seeded city holds, read from the emulators' stores.

The documented minimum number of HTTP requests depends only on how many pages each
listing has (items / the server's page cap), so it is computed here from the emulators'
own state, not from what a client happened to send. Runs in its own process (the city of
scale 10 is large) and returns small integers only.

Page caps (read from src/unified_edu/sandbox/):
  Classroom (classroom/_app.py ``page_size_cap=100``; classroom/_rosters.py ``ROSTER_PAGE=30``;
  classroom/_invitations.py 500, lowered to 100 by the app cap): courses, courseWork,
  studentSubmissions, topics, guardians, guardianInvitations 100; students/teachers 30.
  Graph (graph/_app.py ``_DEFAULT_CAPS``, ``default_page_size=20``): without ``$top`` every
  page holds 20; the largest ``$top`` served is roster 100, assignments 50, submissions
  100, other 100.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["census", "pages"]

GOOGLE_CAPS = {
    "courses": 100,
    "students": 30,
    "teachers": 30,
    "courseWork": 100,
    "submissions": 100,
    "topics": 100,
    "guardians": 100,
    "guardianInvitations": 100,
}
GRAPH_DEFAULT_PAGE = 20
GRAPH_CAPS = {"roster": 100, "assignments": 50, "submissions": 100, "other": 100}


def pages(items: int, cap: int) -> int:
    """Pages of a listing: an empty listing still costs one call."""
    return max(1, math.ceil(items / cap))


def census(seed: int, scale: int) -> dict[str, Any]:
    """Item counts per listing, by platform and tenant (lists of ints, no ids)."""
    from unified_edu.sandbox._seed import generate_city
    from unified_edu.sandbox.classroom import ClassroomApp
    from unified_edu.sandbox.graph import GraphApp

    city = generate_city(seed, scale)
    return {"google": _google(ClassroomApp(city)), "microsoft": _graph(GraphApp(city))}


def _google(app: Any) -> dict[str, Any]:
    store = app._env.store
    tenants: dict[str, dict[str, Any]] = {}
    for tenant in app._tenants:
        tenants[tenant] = {
            "courses": 0,
            "per_course": [],
            "guardians": 0,
            "guardianInvitations": 0,
            "published_work": [],
        }
    for course in store.courses.values():
        works = store.work_of(course.id)
        roster = set(course.student_ids)
        published = [w for w in works if w.state == "PUBLISHED"]
        subs_per_work = [
            sum(1 for s in store.submissions_of(w.id) if s.user_id in roster) for w in published
        ]
        entry = tenants[course.tenant]
        entry["courses"] += 1
        entry["per_course"].append(
            {
                "students": len(course.student_ids),
                "teachers": len(course.teacher_ids),
                "courseWork": len(works),
                "submissions": sum(subs_per_work),
                "topics": len(store.topics_of(course.id)),
            }
        )
        entry["published_work"].append(subs_per_work)
    for link in store.guardians:
        tenant = store.users[link.student_id].tenant
        if tenant in tenants:
            tenants[tenant]["guardians"] += 1
    for invitation in store.guardian_invitations.values():
        tenant = store.users[invitation.student_id].tenant
        if tenant in tenants and invitation.state in ("PENDING", "COMPLETE"):
            tenants[tenant]["guardianInvitations"] += 1
    return tenants


def _graph(app: Any) -> dict[str, Any]:
    store = app.store
    classes = []
    for state in store.class_states.values():
        assignments = state.assignments.values()
        subs = []
        outcomes = []
        drafts = 0
        for data in assignments:
            if data.get("status") == "draft":
                drafts += 1
                continue
            a_state = state.assignment_states[data["id"]]
            subs.append(len(a_state.submissions))
            outcomes.append(sum(len(s.outcomes) for s in a_state.subs.values()))
        classes.append(
            {
                "members": len(state.members),
                "teachers": len(state.teachers),
                "categories": len(state.categories),
                "assignments": len(assignments),
                "drafts": drafts,
                "submissions": subs,
                "outcomes": sum(outcomes),
            }
        )
    return {
        store.tenant: {
            "schools": len(store.schools),
            "school_classes": [len(v) for v in store.school_classes.values()],
            "classes": len(store.classes),
            "users": len(store.users),
            "per_class": classes,
        }
    }
