"""JSON batching and delta queries (in-process; the server path is in the e2e tests)."""

from __future__ import annotations

import json
from typing import Any

from graph_support import Direct

from unified_edu.sandbox._city import City
from unified_edu.sandbox.graph import GraphApp


def _get(item_id: str, url: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "method": "GET", "url": url, **extra}


def test_more_than_twenty_requests_is_a_bad_request(app_client: Direct) -> None:
    requests = [_get(str(n), "/education/schools") for n in range(21)]
    reply = app_client.post("/$batch", {"requests": requests})
    assert reply.status == 400
    assert reply.json["error"]["code"] == "BadRequest"
    assert "20" in reply.json["error"]["message"]
    assert app_client.post("/$batch", {"requests": requests[:20]}).status == 200


def test_answers_come_back_out_of_order_with_dependencies(app_client: Direct) -> None:
    requests = [
        _get("1", "/education/classes/00000000-0000-4000-8000-000000000000"),
        _get("2", "/education/schools", dependsOn=["1"]),
        _get("3", "/education/schools?$top=1"),
        # msgraph-core's spelling of the dependency list is not Graph's: ignored.
        _get("4", "/education/schools?$top=2", depends_on=["1"]),
    ]
    reply = app_client.post("/$batch", {"requests": requests})
    assert reply.status == 200
    answers = reply.json["responses"]
    assert [a["id"] for a in answers] == ["4", "3", "2", "1"]
    by_id = {a["id"]: a for a in answers}
    assert by_id["1"]["status"] == 404
    assert by_id["2"]["status"] == 424
    assert by_id["2"]["body"]["error"]["code"] == "FailedDependency"
    assert by_id["3"]["status"] == 200
    assert len(by_id["3"]["body"]["value"]) == 1
    assert by_id["4"]["status"] == 200
    assert by_id["3"]["headers"]["Content-Type"].startswith("application/json")


def test_envelope_rules(app_client: Direct, taught_class: str) -> None:
    later = [_get("1", "/education/schools", dependsOn=["2"]), _get("2", "/education/schools")]
    assert app_client.post("/$batch", {"requests": later}).status == 400
    twice = [_get("1", "/education/schools"), _get("1", "/education/schools")]
    assert app_client.post("/$batch", {"requests": twice}).status == 400
    assert app_client.post("/$batch", {"nope": []}).status == 400
    parts = [
        _get("abs", "https://graph.microsoft.com/v1.0/education/schools"),
        {
            "id": "nobody",
            "method": "POST",
            "url": f"/education/classes/{taught_class}/assignments",
            "body": {"displayName": "без тип"},
        },
        {
            "id": "ok",
            "method": "POST",
            "url": f"/education/classes/{taught_class}/assignments",
            "headers": {"Content-Type": "application/json"},
            "body": {"displayName": "Пакетно"},
        },
    ]
    answers = {
        a["id"]: a for a in app_client.post("/$batch", {"requests": parts}).json["responses"]
    }
    assert answers["abs"]["status"] == 400
    assert answers["nobody"]["status"] == 400
    assert answers["ok"]["status"] == 201
    assert answers["ok"]["body"]["displayName"] == "Пакетно"


def test_answer_embeds_each_part_as_a_direct_call_answers_it(
    app_client: Direct, taught_class: str
) -> None:
    """Parts' bodies are spliced into the envelope as they are: the envelope must still be
    exactly what ``json.dumps`` of the decoded answers writes, and each part the direct
    call's answer."""
    base = f"/education/classes/{taught_class}/assignments"
    assignments = app_client.all(base)
    urls = [f"{base}/{a['id']}/submissions?$expand=outcomes" for a in assignments]
    assert urls
    requests = [_get(str(n), url) for n, url in enumerate(urls)]
    requests += [
        _get("missing", "/education/classes/00000000-0000-4000-8000-000000000000"),
        _get("after-missing", "/education/schools", dependsOn=["missing"]),
        {
            "id": "created",
            "method": "POST",
            "url": base,
            "headers": {"Content-Type": "application/json"},
            "body": {"displayName": 'Пакетно „в кавички“ \\ и "още"'},
        },
    ]
    response = app_client.send("POST", "/$batch", {"requests": requests})
    assert response.status == 200
    decoded = json.loads(response.body)
    assert json.dumps(decoded, ensure_ascii=False).encode("utf-8") == response.body
    answers = {a["id"]: a for a in decoded["responses"]}
    for n, url in enumerate(urls):
        direct = app_client.get(url)
        assert answers[str(n)]["status"] == direct.status == 200
        assert answers[str(n)]["body"] == direct.json
        assert list(answers[str(n)]) == ["id", "status", "headers", "body"]
        assert "request-id" not in answers[str(n)]["headers"]
    assert answers["missing"]["status"] == 404
    assert answers["after-missing"]["status"] == 424
    assert answers["created"]["body"]["displayName"] == 'Пакетно „в кавички“ \\ и "още"'


def test_parts_use_the_envelope_token(app: GraphApp, teacher: Direct) -> None:
    reply = teacher.post("/$batch", {"requests": [_get("1", "/education/users")]})
    assert reply.json["responses"][0]["status"] == 403  # delegated: no user listing
    assert Direct(app, None).post("/$batch", {"requests": []}).status == 401


def test_classes_delta_pages_then_reports_changes(city: City) -> None:
    app = GraphApp(city, page_size_cap=2)
    client = Direct(app, app.tenant_infos()[0].tokens["app"])
    url: str | None = "/education/classes/delta()"
    seen, delta_link = [], None
    while url:
        page = client.get(url).json
        assert page["@odata.context"].endswith("$metadata#Collection(educationClass)")
        seen.extend(page["value"])
        url = page.get("@odata.nextLink")
        delta_link = page.get("@odata.deltaLink", delta_link)
        assert url is None or "/education/classes/delta?$skiptoken=" in url
    assert len(seen) == len(app.store.classes)
    assert all(c["@odata.type"] == "#microsoft.graph.educationClass" for c in seen)
    assert delta_link is not None
    assert "$deltatoken=" in delta_link
    assert client.get(delta_link).json["value"] == []  # nothing changed yet
    first, second = seen[0]["id"], seen[1]["id"]
    assert client.patch(f"/education/classes/{first}", {"description": "Нов опис"}).status == 200
    assert client.delete(f"/education/classes/{second}").status == 204
    created = client.post("/education/classes", {"displayName": "ИТ 8Б", "mailNickname": "it8b"})
    assert created.status == 201
    changes = client.all(delta_link)
    assert [c["id"] for c in changes] == [first, second, created.json["id"]]
    assert changes[0]["description"] == "Нов опис"
    assert changes[1] == {"id": second, "@removed": {"reason": "deleted"}}
    assert client.get("/education/classes/delta?$deltatoken=forged").status == 400


def test_assignments_delta_supports_only_top(
    app: GraphApp, teacher: Direct, taught_class: str
) -> None:
    base = f"/education/classes/{taught_class}/assignments/delta"
    assert teacher.get(f"{base}?$filter=status eq 'assigned'").status == 400
    first = teacher.get(f"{base}?$top=1").json
    assert len(first["value"]) == 1
    items, page = list(first["value"]), first
    while "@odata.nextLink" in page:
        page = teacher.get(page["@odata.nextLink"]).json
        items.extend(page["value"])
    assert len(items) == len(app.store.class_states[taught_class].assignments)
    created = teacher.post(
        f"/education/classes/{taught_class}/assignments", {"displayName": "Ново"}
    ).json
    changes = teacher.get(page["@odata.deltaLink"]).json["value"]
    assert [c["id"] for c in changes] == [created["id"]]
