"""The sandbox server and pipeline, driven over real loopback HTTP against a fake emulator."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httplib2
import pytest

from unified_edu.sandbox import (
    Context,
    FaultConfig,
    PlatformApp,
    Principal,
    QuotaRule,
    Sandbox,
    SandboxRequest,
    SandboxResponse,
    TenantInfo,
)

# pytest-recording's --block-network also blocks loopback unless told otherwise.
pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

Reply = tuple[int, dict[str, str], bytes]


class FakeApp(PlatformApp):
    """Tokens are ``tok-<subject>``; ``POST /batch`` takes ``{"paths": [...]}``."""

    def __init__(
        self, *, platform: str = "google", prefix: str = "/v1/", rules: list[QuotaRule] = ()
    ) -> None:
        self.platform = platform  # type: ignore[assignment]
        self.prefix = prefix
        self.rules = list(rules)
        self.handled: list[SandboxRequest] = []

    def owns(self, path: str) -> bool:
        return path.startswith(self.prefix) or (self.prefix == "/v1/" and path == "/batch")

    def operation(self, request: SandboxRequest) -> str:
        return f"{self.platform}.{request.method.lower()}"

    def tenant_infos(self) -> list[TenantInfo]:
        return [
            TenantInfo(
                platform=self.platform,  # type: ignore[arg-type]
                tenant=f"{self.platform}.example",
                tenant_id="T1",
                school_keys=("s1",),
                admin=f"admin@{self.platform}.example",
                tokens={"admin": "tok-admin", "app": "tok-app"},
            )
        ]

    def issue_token(self, tenant: str, subject: str, **_: Any) -> str:
        return f"tok-{subject}"

    def authenticate(self, request: SandboxRequest) -> Principal | SandboxResponse:
        auth = request.header("authorization") or ""
        if not auth.startswith("Bearer tok-"):
            return SandboxResponse.json_body(401, {"error": {"code": 401, "fake": True}})
        return Principal(
            platform=self.platform,  # type: ignore[arg-type]
            tenant=f"{self.platform}.example",
            subject=auth.removeprefix("Bearer tok-"),
        )

    def quota_rules(self, principal: Principal, request: SandboxRequest) -> list[QuotaRule]:
        return [] if request.path == "/batch" else self.rules

    def handle(
        self, request: SandboxRequest, principal: Principal, context: Context
    ) -> SandboxResponse:
        if request.path.endswith("/boom"):
            raise RuntimeError("emulator bug")
        if request.path == "/batch":
            parts = [
                context.dispatch(SandboxRequest(method="GET", path=p, headers=request.headers))
                for p in request.json()["paths"]
            ]
            return SandboxResponse.json_body(200, {"statuses": [p.status for p in parts]})
        self.handled.append(request)
        return SandboxResponse.json_body(
            200, {"path": request.path, "who": principal.subject, "id": context.request_id}
        )

    def error(
        self, status: int, message: str, *, request_id: str, retry_after: float | None = None
    ) -> SandboxResponse:
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        payload = {"error": {"code": status, "message": message, "request-id": request_id}}
        return SandboxResponse.json_body(status, payload, headers)


def call(
    sb: Sandbox, method: str, path: str, *, token: str | None = "tok-admin", **kw: Any
) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=5)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request(method, path, headers=headers, **kw)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def batch(sb: Sandbox, *paths: str) -> list[int]:
    status, _, body = call(sb, "POST", "/batch", body=json.dumps({"paths": list(paths)}))
    assert status == 200
    return json.loads(body)["statuses"]


@pytest.fixture
def app() -> FakeApp:
    return FakeApp()


@pytest.fixture
def sb(app: FakeApp) -> Iterator[Sandbox]:
    with Sandbox([app, FakeApp(platform="microsoft", prefix="/v1.0/")], quotas=False) as sandbox:
        yield sandbox


# Routing, HTTP and authentication


def test_routes_each_path_to_the_first_app_that_owns_it(sb: Sandbox, app: FakeApp) -> None:
    assert all(a.base_url == sb.url == f"http://127.0.0.1:{sb.port}" for a in sb.apps)
    assert json.loads(call(sb, "GET", "/v1/courses?pageSize=5")[2])["path"] == "/v1/courses"
    assert app.handled[0].query == {"pageSize": ("5",)}
    assert call(sb, "GET", "/v1.0/education/classes")[0] == 200
    status, headers, body = call(sb, "GET", "/elsewhere")
    assert (status, headers["content-type"]) == (404, "application/json; charset=UTF-8")
    assert json.loads(body)["error"]["code"] == 404
    assert sb.stats().by_platform == {"google": 1, "microsoft": 1, "-": 1}


def test_keeps_the_connection_alive_and_sends_content_length(sb: Sandbox) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=5)
    for method in ("GET", "POST", "PATCH", "PUT", "DELETE"):
        conn.request(method, "/v1/x", body=b"{}", headers={"Authorization": "Bearer tok-a"})
        response = conn.getresponse()
        body = response.read()
        assert response.version == 11
        assert int(response.headers["Content-Length"]) == len(body)
        sock = conn.sock
    assert conn.sock is sock  # Never reconnected.
    conn.close()


def test_a_401_from_the_app_passes_through_and_counts_as_tenant_dash(
    sb: Sandbox, app: FakeApp
) -> None:
    status, _, body = call(sb, "GET", "/v1/courses", token=None)
    assert (status, json.loads(body)) == (401, {"error": {"code": 401, "fake": True}})
    assert app.handled == []
    assert sb.stats().by_tenant == {"-": 1}


def test_an_emulator_exception_becomes_its_own_500_and_is_logged(sb: Sandbox) -> None:
    status, _, body = call(sb, "GET", "/v1/boom")
    assert status == 500
    assert "Internal error" in json.loads(body)["error"]["message"]
    assert sb.log()[-1].status == 500


def test_latency_is_applied_once_per_outer_request(app: FakeApp) -> None:
    with Sandbox([app], latency=0.15, quotas=False) as sb:
        started = time.perf_counter()
        assert batch(sb, "/v1/a", "/v1/b", "/v1/c") == [200, 200, 200]
        elapsed = time.perf_counter() - started
    assert 0.15 <= elapsed < 0.45  # Four delays (envelope and parts) would take 0.6 s.
    assert sb.log()[-1].duration_ms >= 150  # The envelope's duration includes the delay.


# Quotas


def test_quota_answers_429_with_retry_after_then_frees_after_the_window() -> None:
    app = FakeApp(rules=[QuotaRule(key="user", limit=3, seconds=0.3)])
    with Sandbox([app]) as sb:
        assert [call(sb, "GET", "/v1/x")[0] for _ in range(3)] == [200, 200, 200]
        status, headers, body = call(sb, "GET", "/v1/x")
        assert status == 429
        assert "at most 3 requests per 0.3 s" in json.loads(body)["error"]["message"]
        retry_after = float(headers["retry-after"])
        assert 0 < retry_after <= 0.3
        time.sleep(retry_after)
        assert call(sb, "GET", "/v1/x")[0] == 200
        stats = sb.stats()
    assert len(app.handled) == 4  # The rejected call never reached the handler.
    assert (stats.throttled, stats.quota_rejections, stats.by_status) == (1, 1, {200: 4, 429: 1})


def test_quota_scale_shrinks_limits_and_quotas_can_be_switched_off() -> None:
    rules = [QuotaRule(key="user", limit=30, seconds=60)]
    with Sandbox([FakeApp(rules=rules)], quota_scale=0.1) as sb:
        assert [call(sb, "GET", "/v1/x")[0] for _ in range(4)] == [200, 200, 200, 429]
        sb.reset_quotas()
        assert call(sb, "GET", "/v1/x")[0] == 200
        assert [call(sb, "GET", "/v1/x")[0] for _ in range(3)] == [200, 200, 429]
        assert call(sb, "POST", "/_sandbox/reset-quotas", token=None)[0] == 200
        assert call(sb, "GET", "/v1/x")[0] == 200
    with Sandbox([FakeApp(rules=rules)], quotas=False, quota_scale=0.1) as sb:
        assert {call(sb, "GET", "/v1/x")[0] for _ in range(8)} == {200}


def test_batch_parts_are_counted_separately_and_limited_one_by_one() -> None:
    app = FakeApp(rules=[QuotaRule(key="user", limit=2, seconds=60)])
    with Sandbox([app]) as sb:
        assert batch(sb, "/v1/a", "/v1/b", "/v1/c") == [200, 200, 429]
        stats, entries = sb.stats(), sb.log()
    assert (stats.http_requests, stats.calls, stats.batches, stats.batch_parts) == (1, 3, 1, 3)
    assert [(e.path, e.in_batch, e.status) for e in entries] == [
        ("/v1/a", True, 200),
        ("/v1/b", True, 200),
        ("/v1/c", True, 429),
        ("/batch", False, 200),
    ]


# Faults


def test_scripted_reset_before_does_not_run_the_handler(sb: Sandbox, app: FakeApp) -> None:
    sb.faults.add(kind="reset_before", method="POST", path_regex=r"/courses$")
    with pytest.raises(ConnectionResetError) as caught:
        call(sb, "POST", "/v1/courses", body=b"{}")
    assert not isinstance(caught.value, http.client.RemoteDisconnected)  # A real RST.
    assert app.handled == []
    assert call(sb, "POST", "/v1/courses", body=b"{}")[0] == 200  # One shot only.
    assert sb.log()[0].status == 0
    assert sb.stats().faults == {"reset_before": 1}


def test_scripted_reset_after_runs_the_handler_and_loses_the_answer(
    sb: Sandbox, app: FakeApp
) -> None:
    sb.faults.add(kind="reset_after", method="POST", path_regex=r"/courses$")
    client = httplib2.Http(timeout=5)
    # httplib2 silently resends a request whose connection merely closed; a reset is not.
    with pytest.raises(ConnectionResetError):
        client.request(f"{sb.url}/v1/courses", "POST", b"{}", {"Authorization": "Bearer tok-t"})
    assert [r.method for r in app.handled] == ["POST"]
    assert sb.log()[0].fault == "reset_after"
    assert sb.log()[0].status == 200


def test_scripted_truncate_sends_the_full_length_but_half_the_body(sb: Sandbox) -> None:
    sb.faults.add(kind="truncate")
    conn = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=5)
    conn.request("GET", "/v1/courses", headers={"Authorization": "Bearer tok-a"})
    response = conn.getresponse()
    with pytest.raises(http.client.IncompleteRead) as caught:
        response.read()
    assert len(caught.value.partial) == int(response.headers["Content-Length"]) // 2
    conn.close()


def test_scripted_503_and_429_answer_with_the_apps_error_bodies(app: FakeApp) -> None:
    with Sandbox([app], quotas=False, faults=FaultConfig(retry_after=0.05)) as sb:
        sb.faults.add("503", path_regex="/b$", times=2)
        sb.faults.add("429", method="GET")
        status, _, body = call(sb, "GET", "/v1/b")
        assert status == 503
        assert "injected" in json.loads(body)["error"]["message"]
        status, headers, _ = call(sb, "GET", "/v1/a")
        assert (status, headers["retry-after"]) == (429, "0.05")
        # The second 503 hits a batch part; the envelope itself is never failed.
        assert batch(sb, "/v1/a", "/v1/b") == [200, 503]
        assert sb.stats().faults == {"503": 2, "429": 1}
        assert sb.faults.pending() == []


def test_scripted_resets_skip_batch_parts_and_wait_for_an_outer_request(sb: Sandbox) -> None:
    sb.faults.add("reset_before", path_regex="/v1/a")
    assert batch(sb, "/v1/a") == [200]
    assert len(sb.faults.pending()) == 1
    with pytest.raises(ConnectionResetError):
        call(sb, "GET", "/v1/a")


def outcomes(config: FaultConfig, n: int = 40) -> list[str]:
    with Sandbox([FakeApp()], quotas=False, faults=config) as sb:
        seen = []
        for _ in range(n):
            try:
                seen.append(str(call(sb, "GET", "/v1/x")[0]))
            except (ConnectionError, http.client.IncompleteRead) as exc:
                seen.append(type(exc).__name__)
        seen.append(json.dumps(sb.stats().faults, sort_keys=True))
    return seen


def test_random_faults_are_reproducible_with_the_same_seed() -> None:
    config = FaultConfig(rate_503=0.2, rate_429=0.1, rate_reset=0.2, rate_truncate=0.1, seed=7)
    first = outcomes(config)
    assert first == outcomes(config)
    assert first != outcomes(FaultConfig(rate_503=0.2, rate_429=0.1, rate_reset=0.2, seed=8))
    faults = json.loads(first[-1])
    assert set(faults) == {"503", "429", "reset_before", "reset_after", "truncate"}
    assert first.count("200") + sum(faults.values()) == 40


# Stats, log, control endpoints


def test_stats_over_http_equal_stats_from_python(sb: Sandbox) -> None:
    call(sb, "GET", "/v1/x")
    call(sb, "GET", "/v1/x", token=None)
    batch(sb, "/v1/a")
    status, _, body = call(sb, "GET", "/_sandbox/stats", token=None)
    assert status == 200
    assert json.loads(body) == sb.stats().as_dict()
    assert json.loads(body)["by_status"] == {"200": 3, "401": 1}
    assert call(sb, "POST", "/_sandbox/reset-stats", token=None)[0] == 200
    assert sb.stats().calls == 0
    assert sb.log() == []


def test_the_log_holds_no_credentials(sb: Sandbox) -> None:
    secret = "tok-s3cr3t-value"
    for path in ("/v1/x", f"/v1/x?access_token={secret}&pageSize=2"):
        conn = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=5)
        conn.request("GET", path, headers={"Authorization": f"Bearer {secret}"})
        conn.getresponse().read()
        conn.close()
    status, _, body = call(sb, "GET", "/_sandbox/log?limit=1", token=None)
    entries = json.loads(body)["entries"]
    assert status == 200
    assert len(entries) == 1
    assert entries[0]["path"] == "/v1/x?access_token=***&pageSize=2"
    assert secret not in json.dumps([e.as_dict() for e in sb.log()]) + body.decode()


def test_control_endpoints(sb: Sandbox) -> None:
    status, _, body = call(sb, "GET", "/_sandbox/tenants", token=None)
    tenants = json.loads(body)["tenants"]
    assert status == 200
    assert [(t["platform"], t["endpoint"]) for t in tenants] == [
        ("google", sb.google_endpoint),
        ("microsoft", sb.graph_base_url),
    ]
    assert call(sb, "POST", "/_sandbox/stats", token=None)[0] == 405
    assert call(sb, "GET", "/_sandbox/nothing", token=None)[0] == 404
    assert call(sb, "GET", "/_sandbox/log?limit=x", token=None)[0] == 400
    assert sb.stats().http_requests == 0  # Control calls are neither counted nor logged.


# Concurrency and lifetime


def test_twenty_parallel_requests_are_all_answered_in_parallel(app: FakeApp) -> None:
    with Sandbox([app], latency=0.2, quotas=False) as sb:
        statuses: list[int] = []
        threads = [
            threading.Thread(target=lambda: statuses.append(call(sb, "GET", "/v1/x")[0]))
            for _ in range(20)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        assert statuses == [200] * 20
        assert sb.stats().calls == 20
    assert elapsed < 1.0  # Serially it would take 4 s.
    assert len({entry.request_id for entry in sb.log()}) == 20


def sandbox_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("sandbox-")}


def test_stop_leaves_no_thread_or_socket_behind(app: FakeApp) -> None:
    before = sandbox_threads()
    sb = Sandbox([app], quotas=False)
    idle = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=5)
    idle.request("GET", "/v1/x", headers={"Authorization": "Bearer tok-a"})
    idle.getresponse().read()  # The connection stays open, its thread waiting.
    assert len(sandbox_threads() - before) == 2
    started = time.perf_counter()
    sb.stop()
    sb.stop()  # Idempotent.
    assert time.perf_counter() - started < 1.0
    assert sandbox_threads() == before
    assert not sb.running
    with pytest.raises(ConnectionRefusedError):
        call(sb, "GET", "/v1/x")
    idle.close()


def test_sandbox_helpers_delegate_to_the_apps(app: FakeApp) -> None:
    with Sandbox.start(apps=[app], quotas=False) as sb:
        assert sb.issue_token("google", "google.example", "teacher@x") == "tok-teacher@x"
        assert sb.app("google") is app
        assert [t.platform for t in sb.tenants] == ["google"]
        assert sb.google_endpoint == sb.url + "/"
        assert sb.graph_base_url == sb.url + "/v1.0"
        assert repr(sb).startswith(f"Sandbox(url='{sb.url}'")
