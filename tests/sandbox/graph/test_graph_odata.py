"""OData query options and paging."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from graph_support import Direct

from unified_edu.sandbox._city import City
from unified_edu.sandbox.graph import GraphApp


def _capped(city: City, cap: int) -> Direct:
    app = GraphApp(city, page_size_cap=cap, default_page_size=3)
    return Direct(app, app.tenant_infos()[0].tokens["app"])


def test_server_caps_the_page_and_links_carry_the_query(city: City) -> None:
    client = _capped(city, 2)
    first = client.get("/education/users?$top=999&$select=displayName")
    assert first.status == 200
    assert len(first.json["value"]) == 2  # the client's large $top is capped
    link = first.json["@odata.nextLink"]
    assert link.startswith("http://127.0.0.1/v1.0/education/users?")
    query = parse_qs(urlsplit(link).query)
    assert query["$top"] == ["999"]
    assert query["$select"] == ["displayName"]
    assert "$skiptoken" in query
    everyone = client.all("/education/users?$top=999&$select=displayName")
    assert len(everyone) == len(client.app.store.users)
    assert len({u["id"] for u in everyone}) == len(everyone)
    assert all(set(u) == {"id", "displayName"} for u in everyone)


def test_default_page_size_applies_without_top(city: City) -> None:
    client = _capped(city, 100)
    reply = client.get("/education/users")
    assert len(reply.json["value"]) == 3
    assert "@odata.nextLink" in reply.json


def test_default_caps_are_per_collection_kind(app: GraphApp, app_client: Direct) -> None:
    assert app.env.caps == {"roster": 100, "assignments": 50, "submissions": 100, "other": 100}
    reply = app_client.get("/education/users?$top=5000")
    assert len(reply.json["value"]) == min(100, len(app.store.users))


def test_context_count_and_cyrillic(app_client: Direct, app: GraphApp) -> None:
    reply = app_client.get("/education/schools?$count=true")
    assert reply.json["@odata.context"] == "http://127.0.0.1/v1.0/$metadata#education/schools"
    assert reply.json["@odata.count"] == 3
    names = {s["displayName"] for s in reply.json["value"]}
    assert "ОУ „Васил Левски“" in names
    class_id = next(iter(app.store.classes))
    one = app_client.get(f"/education/classes/{class_id}")
    assert one.json["@odata.context"].endswith("$metadata#education/classes/$entity")
    listing = app_client.get(f"/education/classes/{class_id}/assignments")
    assert listing.json["@odata.context"].endswith(
        f"$metadata#education/classes('{class_id}')/assignments"
    )


def test_filter_equality_and_unsupported_filters(app_client: Direct, app: GraphApp) -> None:
    students = app_client.all("/education/users?$filter=primaryRole eq 'student'")
    assert students
    assert all(u["primaryRole"] == "student" for u in students)
    class_id = next(iter(app.store.classes))
    assigned = app_client.all(
        f"/education/classes/{class_id}/assignments?$filter=status eq 'assigned'"
    )
    everything = app_client.all(f"/education/classes/{class_id}/assignments")
    assert assigned
    assert len(assigned) < len(everything)
    assert all(a["status"] == "assigned" for a in assigned)
    bad = app_client.get("/education/users?$filter=startswith(displayName,'А')")
    assert bad.status == 400
    assert "Invalid filter clause" in bad.json["error"]["message"]


def test_select_expand_and_their_errors(app_client: Direct, app: GraphApp) -> None:
    class_id = next(c for c, s in app.store.class_states.items() if len(s.assignments) > 1)
    url = f"/education/classes/{class_id}/assignments?$select=displayName,status&$expand=categories"
    items = app_client.all(url)
    assert all(set(a) == {"id", "displayName", "status", "categories"} for a in items)
    bad = app_client.get(f"/education/classes/{class_id}/assignments?$expand=teachers")
    assert bad.status == 400
    assert "teachers" in bad.json["error"]["message"]
    bad = app_client.get("/education/users?$select=favouriteColour")
    assert bad.status == 400
    assert "favouriteColour" in bad.json["error"]["message"]
    assert app_client.get('/education/users?$search="Иван"').status == 400
    assert app_client.get("/education/users?$top=-1").status == 400
    assert app_client.get("/education/users?$skiptoken=garbage").status == 400
    assert app_client.get("/education/users?$levitate=true").status == 400


def test_options_without_dollar_are_accepted(app_client: Direct, app: GraphApp) -> None:
    user = next(iter(app.store.users))
    reply = app_client.get(f"/education/users/{user}/assignments?expand=submissions")
    assert reply.status == 200
    assert all("submissions" in a for a in reply.json["value"])


def test_orderby_display_name(app_client: Direct) -> None:
    names = [u["displayName"] for u in app_client.all("/education/users?$orderby=displayName")]
    assert names == sorted(names)
    desc = [u["displayName"] for u in app_client.all("/education/users?$orderby=displayName desc")]
    assert desc == sorted(names, reverse=True)


def test_unknown_segments_and_methods(app_client: Direct) -> None:
    reply = app_client.get("/education/classrooms")
    assert reply.status == 400
    assert reply.json["error"]["message"] == "Resource not found for the segment 'classrooms'."
    assert app_client.call("PUT", "/education/classes").status == 405


def test_select_on_single_entities(app_client: Direct, app: GraphApp) -> None:
    class_id = next(iter(app.store.classes))
    reply = app_client.get(f"/education/classes/{class_id}?$select=displayName")
    assert set(reply.json) == {"@odata.context", "id", "displayName"}
    user = next(iter(app.store.users))
    reply = app_client.get(f"/education/users/{user}?$select=relatedContacts,primaryRole")
    assert set(reply.json) == {"@odata.context", "id", "relatedContacts", "primaryRole"}


def test_assignments_beneath_users_and_me(
    app: GraphApp, app_client: Direct, student: Direct, student_id: str, taught_class: str
) -> None:
    mine = student.all("/education/me/assignments")
    assert mine
    assert all(a["status"] != "draft" for a in mine)
    assignment = next(a for a in mine if a["classId"] == taught_class)
    subs = student.all(f"/education/me/assignments/{assignment['id']}/submissions")
    assert [s["recipient"]["userId"] for s in subs] == [student_id]
    same = app_client.get(f"/education/users/{student_id}/assignments/{assignment['id']}")
    assert same.json["id"] == assignment["id"]
    missing = app_client.get(f"/education/users/{student_id}/assignments/nope/submissions")
    assert missing.status == 404
    assert missing.json["error"]["code"] == "20241"
    assert app_client.get("/education/me/assignments").status == 400  # /me needs a user
