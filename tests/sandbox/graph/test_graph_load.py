"""Loading the seeded city into the Graph store."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import attrs
from graph_support import Direct

from unified_edu.sandbox._city import City
from unified_edu.sandbox.graph import GraphApp
from unified_edu.sandbox.graph._ids import due_from_city, guid

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")


def test_only_microsoft_schools_of_the_whole_city_are_loaded(seeded_city: City) -> None:
    app = GraphApp(seeded_city)
    store = app.store
    microsoft = {s.key for s in seeded_city.schools_on("microsoft")}
    classes = [c for c in seeded_city.classes if c.school_key in microsoft]
    assert len(store.schools) == len(microsoft) == 3
    assert len(store.classes) == len(classes)
    people = {k for c in classes for k in (*c.teacher_keys, *c.student_keys)}
    assert len(store.users) == len(people)
    kept = [
        h
        for h in seeded_city.homework
        if h.state != "deleted" and any(h.class_key == c.key for c in classes)
    ]
    assert sum(len(s.assignments) for s in store.class_states.values()) == len(kept)
    assert all(GUID.match(i) for i in [*store.schools, *store.classes, *store.users])
    assert GUID.match(store.tenant_id)
    assert store.tenant == seeded_city.microsoft_tenant


def test_ids_are_deterministic_from_the_seed(city: City) -> None:
    first, second = GraphApp(city).store, GraphApp(city).store
    assert list(first.classes) == list(second.classes)
    assert list(first.users) == list(second.users)
    klass = next(c for c in city.classes if c.school_key == "s5")
    assert guid(city.seed, "class", klass.key) in first.classes
    a1 = [a["id"] for _, a, _ in first.iter_assignments()]
    assert a1 == [a["id"] for _, a, _ in second.iter_assignments()]
    s1 = [s for _, _, st in first.iter_assignments() for s in st.submissions]
    assert s1 == [s for _, _, st in second.iter_assignments() for s in st.submissions]


def test_users_carry_roles_numbers_dates_and_active_guardians_only(
    app: GraphApp, app_client: Direct, city: City
) -> None:
    users = app_client.all("/education/users?$top=100")
    students = [u for u in users if u["primaryRole"] == "student"]
    teachers = [u for u in users if u["primaryRole"] == "teacher"]
    assert students
    assert teachers
    for user in students:
        assert re.match(r"^\d{4}-\d\d-\d\d$", user["student"]["birthDate"])  # Edm.Date
        assert user["student"]["grade"].isdigit()
        assert user["teacher"] is None
    assert all(u["teacher"]["teacherNumber"] for u in teachers)
    people = {p.email: p for p in city.people}
    for user in students:
        person = people[user["userPrincipalName"]]
        active = {
            people_by_key.email
            for g in city.guardians
            if g.student_key == person.key and g.state == "active"
            for people_by_key in [next(p for p in city.people if p.key == g.guardian_key)]
        }
        assert {c["emailAddress"] for c in user["relatedContacts"]} == active
        for contact in user["relatedContacts"]:
            assert contact["relationship"] in {"parent", "guardian", "relative"}
    assert any(u["relatedContacts"] for u in students)
    assert "Й" in "".join(u["displayName"] for u in users) or any(
        re.search("[а-яА-Я]", u["displayName"]) for u in users
    )


def test_teachers_are_members_too(app: GraphApp) -> None:
    for state in app.store.class_states.values():
        assert set(state.teachers) <= set(state.members)


def test_assignments_statuses_dates_and_recipients(app: GraphApp, city: City) -> None:
    by_id = {guid(city.seed, "assignment", h.key): h for h in city.homework}
    seen_states = set()
    for _, data, a_state in app.store.iter_assignments():
        homework = by_id[data["id"]]
        assert data["displayName"] == homework.title
        seen_states.add(data["status"])
        expected = {"published": "assigned", "draft": "draft", "inactive": "inactive"}
        assert data["status"] == expected[homework.state]
        assert TIMESTAMP.match(data["createdDateTime"])
        assert data["dueDateTime"] == due_from_city(homework.due, city.time_zone)
        if homework.max_points is None:
            assert data["grading"] is None
        else:
            assert data["grading"]["maxPoints"] == homework.max_points
        if homework.student_keys:
            assert data["assignTo"]["@odata.type"].endswith("IndividualRecipient")
        subs = a_state.submissions
        assert (len(subs) == 0) == (data["status"] == "draft")
    assert seen_states == {"assigned", "draft", "inactive"}


def test_a_date_only_due_is_the_end_of_that_day_in_sofia() -> None:
    due = due_from_city(dt.date(2026, 10, 5), "Europe/Sofia")
    assert due == "2026-10-05T20:59:59Z"  # 23:59:59 EEST (UTC+3)
    winter = due_from_city(dt.date(2026, 12, 5), "Europe/Sofia")
    assert winter == "2026-12-05T21:59:59Z"  # 23:59:59 EET (UTC+2)
    local = dt.datetime.fromisoformat(winter.replace("Z", "+00:00")).astimezone(
        zoneinfo.ZoneInfo("Europe/Sofia")
    )
    assert (local.hour, local.minute, local.second) == (23, 59, 59)


def test_work_states_map_to_submission_states(app: GraphApp, city: City) -> None:
    expected = {
        "new": "working",
        "in_progress": "working",
        "reclaimed": "working",
        "turned_in": "submitted",
        "returned": "returned",
        "reassigned": "reassigned",
        "excused": "excused",
    }
    user_keys = {guid(city.seed, "user", p.key): p.key for p in city.people}
    homework = {guid(city.seed, "assignment", h.key): h.key for h in city.homework}
    works = {(w.homework_key, w.student_key): w for w in city.work}
    checked = 0
    for _, data, a_state in app.store.iter_assignments():
        for sub in a_state.submissions.values():
            work = works.get((homework[data["id"]], user_keys[sub["recipient"]["userId"]]))
            if work is None:
                assert sub["status"] == "working"
                continue
            checked += 1
            assert sub["status"] == expected[work.state]
            outcomes = a_state.subs[sub["id"]].outcomes.values()
            points = [o for o in outcomes if o["@odata.type"].endswith("PointsOutcome")]
            assert bool(points) == (data["grading"] is not None)
            if points and work.released_points is not None:
                assert points[0]["publishedPoints"]["points"] == work.released_points
    assert checked > 20


def test_a_city_without_microsoft_schools_serves_no_tenant(city: City) -> None:
    google_only = attrs.evolve(city, schools=city.schools_on("google"))
    app = GraphApp(google_only)
    assert app.tenant_infos() == []
    assert len(app.store.classes) == 0
