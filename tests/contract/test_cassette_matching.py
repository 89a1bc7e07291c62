"""The cassette scrubbers, matchers and serializer, on hand-made requests (no HTTP)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from contract_vcr import (
    SCRUBBED,
    _Serializer,
    canonical_body,
    contract_body,
    contract_query,
    scrub_request,
    scrub_response,
)
from vcr.request import Request


def _request(
    body: str | None, *, uri: str = "http://127.0.0.1:41234/batch", **headers: str
) -> Request:
    return scrub_request(Request("POST", uri, body, headers))


def _matches(r1: Request, r2: Request) -> bool:
    try:
        contract_body(r1, r2)
        contract_query(r1, r2)
    except AssertionError:
        return False
    return True


def _google_batch(boundary: str, base: str, token: str, paths: list[str]) -> Request:
    parts = "".join(
        f"--{boundary}\nContent-Type: application/http\nContent-ID: <{base} + {n}>\n\n"
        f"GET {path} HTTP/1.1\naccept: application/json\nauthorization: Bearer {token}\n"
        f"user-agent: (gzip)\nHost: 127.0.0.1:41234\n\n\n"
        for n, path in enumerate(paths)
    )
    return _request(
        parts + f"--{boundary}--",
        **{"Content-Type": f'multipart/mixed; boundary="{boundary}"'},
    )


def test_google_batches_match_on_their_inner_requests() -> None:
    paths = ["/v1/courses/1/topics?pageSize=1000&alt=json", "/v1/courses/2/topics?alt=json"]
    one = _google_batch("===1==", "0b3a5f0c-1111-4a4a-8b8b-000000000001", "ya29.one", paths)
    two = _google_batch("===2==", "0b3a5f0c-2222-4a4a-8b8b-000000000002", "ya29.two", paths)
    other = _google_batch("===3==", "0b3a5f0c-3333-4a4a-8b8b-000000000003", "ya29.x", paths[:1])

    assert _matches(one, two)
    assert not _matches(one, other)
    assert canonical_body(one) == [
        ("GET", "/v1/courses/1/topics?alt=json&pageSize=1000", None),
        ("GET", "/v1/courses/2/topics?alt=json", None),
    ]
    text = one.body.decode()
    assert "authorization" not in text.lower()
    assert "ya29" not in text
    assert "<batch + 0>" in text
    assert "127.0.0.1:9" in text


def _graph_batch(requests: list[dict[str, Any]]) -> Request:
    return _request(
        json.dumps({"requests": requests}),
        uri="http://127.0.0.1:41234/v1.0/$batch",
        **{"Content-Type": "application/json", "Authorization": "Bearer eyJ0eXAi.eyJzdWIi.sig"},
    )


def test_graph_batches_match_by_part_id_in_any_order() -> None:
    a = {"id": "1", "method": "GET", "url": "/education/classes/a/members?$top=999"}
    b = {"id": "2", "method": "GET", "url": "/education/classes/a/teachers?$top=999"}
    changed = {**b, "url": "/education/classes/b/teachers?$top=999"}

    assert _matches(_graph_batch([a, b]), _graph_batch([b, a]))
    assert not _matches(_graph_batch([a, b]), _graph_batch([a, changed]))
    assert "authorization" not in {k.lower() for k in _graph_batch([a]).headers}


def test_token_requests_match_whatever_the_assertion() -> None:
    def token(assertion: str) -> Request:
        grant = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
        body = f"grant_type={grant}&assertion={assertion}"
        return _request(body, uri="http://127.0.0.1:41234/token")

    one, two = token("eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjF9.c2ln"), token("eyJhbGci.eyJpYXQiOjJ9.eA")
    assert _matches(one, two)
    assert f"assertion={SCRUBBED}" in one.body.decode()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ('{"id": "p:unified-edu-' + "a" * 32 + '"}', '{"id": "p:unified-edu-' + "b" * 32 + '"}'),
        (
            '{"mailNickname": "matematika-5a-0badc0de"}',
            '{"mailNickname": "matematika-5a-12345678"}',
        ),
        ('{"a": 1, "b": [1, 2]}', '{\n  "b": [1, 2],\n  "a": 1\n}'),
    ],
)
def test_json_bodies_match_as_data_with_random_values_normalized(first: str, second: str) -> None:
    def make(body: str) -> Request:
        return _request(
            body, uri="http://127.0.0.1:41234/v1/courses", **{"Content-Type": "application/json"}
        )

    assert _matches(make(first), make(second))
    assert not _matches(make('{"a": 1}'), make('{"a": 2}'))


def test_queries_match_with_random_values_normalized() -> None:
    def get(nickname: str) -> Request:
        uri = f"http://127.0.0.1:1/v1.0/education/classes?$filter=mailNickname eq '{nickname}'"
        return _request(None, uri=uri)

    assert _matches(get("istoria-7a-0badc0de"), get("istoria-7a-12345678"))
    assert not _matches(get("istoria-7a-0badc0de"), get("geografia-7a-12345678"))


def _response(body: str, content_type: str = "application/json") -> dict[str, Any]:
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Type": [content_type], "Content-Length": ["1"], "Date": ["x"]},
        "body": {"string": body.encode()},
    }


def test_answers_lose_tokens_and_keep_readable_json() -> None:
    answer = scrub_response(
        _response(
            '{"access_token": "ya29.sandbox-abc", "expires_in": 3600, "token_type": "Bearer"}'
        )
    )

    body = answer["body"]["string"].decode()
    assert json.loads(body) == {
        "access_token": SCRUBBED,
        "expires_in": 3600,
        "token_type": "Bearer",
    }
    assert answer["headers"]["Content-Length"] == [str(len(answer["body"]["string"]))]
    assert "Date" not in answer["headers"]

    jwt = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    assert jwt not in scrub_response(_response(f'{{"note": "{jwt}"}}'))["body"]["string"].decode()


def test_google_batch_answers_stay_parsable_and_readable() -> None:
    part = (
        "--b1\r\nContent-Type: application/http\r\n"
        "Content-ID: <response-0b3a5f0c-1111-4a4a-8b8b-000000000001 + 0>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n"
        "Content-Length: 13\r\n\r\n"
        '{"topic": []}\r\n--b1--\r\n'
    )
    answer = scrub_response(_response(part, "multipart/mixed; boundary=b1"))
    text = answer["body"]["string"].decode()

    assert "<response-batch + 0>" in text
    assert text.count("\n") == text.count("\r\n")  # googleapiclient splits on CRLF
    data = {
        "interactions": [
            {"request": {"body": None}, "response": {**answer, "body": {"string": text}}}
        ]
    }
    stored = _Serializer.serialize(data)
    assert "\\r" not in stored  # kept as a readable block
    assert _Serializer.deserialize(stored)["interactions"][0]["response"]["body"]["string"] == text
