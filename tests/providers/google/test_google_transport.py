"""The transport: no replayed POSTs, batches to the configured endpoint, retries, quotas."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httplib2
import pytest
from google_scenario import DOMAIN
from google_support import delegated, token_provider

from unified_edu import AuthenticationError, TransportError
from unified_edu._ratelimit import RateLimiter, Window
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.providers.google._transport import NoReplayHttp, resource
from unified_edu.sandbox import Sandbox

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])


class SilentServer:
    """Reads each request, counts it, and closes the connection without answering (FIN)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                if data:
                    self.requests.append(data.split(b"\r\n", 1)[0])

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_httplib2_replays_a_post_but_no_replay_http_does_not(silent: SilentServer) -> None:
    url = f"http://127.0.0.1:{silent.port}/v1/courses/1/courseWork"
    with pytest.raises((OSError, httplib2.HttpLib2Error)):
        httplib2.Http(timeout=5).request(url, "POST", body="{}")
    # The hazard: httplib2 sent the create twice after the connection closed.
    assert len(silent.requests) == 2
    silent.requests.clear()
    with pytest.raises((OSError, httplib2.HttpLib2Error)):
        NoReplayHttp(timeout=5).request(url, "POST", body="{}")
    assert silent.requests == [b"POST /v1/courses/1/courseWork HTTP/1.1"]
    silent.requests.clear()
    with pytest.raises((OSError, httplib2.HttpLib2Error)):
        NoReplayHttp(timeout=5).request(url, "GET")
    assert len(silent.requests) == 2  # Reads keep httplib2's stale-connection retry.


def test_batches_go_to_the_endpoint(sandbox: Sandbox, provider: GoogleClassroomProvider) -> None:
    class_ids = [c.ref.id for c in provider.list_classes()]
    assert len(class_ids) == 2
    enrollments = provider.list_enrollments(class_ids)
    assert len(enrollments) == 3 + 6  # teachers + students of both classes
    stats = sandbox.stats()
    assert provider.stats.batches >= 1
    assert stats.batches == provider.stats.batches
    assert stats.batch_parts == provider.stats.batch_parts
    assert stats.by_operation["classroom.courses.students.list"] == 2


def test_lone_calls_go_out_directly(sandbox: Sandbox, provider: GoogleClassroomProvider) -> None:
    provider.list_classes()
    assert (provider.stats.http_requests, provider.stats.calls, provider.stats.batches) == (1, 1, 0)
    assert sandbox.stats().batches == 0


def test_a_cut_short_answer_is_retried(sandbox: Sandbox, provider: GoogleClassroomProvider) -> None:
    class_id = provider.list_classes()[0].ref.id
    sandbox.faults.add("truncate", method="GET", path_regex=r"/v1/courses/\d+$")
    assert provider.get_class(class_id).ref.id == class_id
    assert sandbox.stats().faults == {"truncate": 1}


def test_a_failed_batch_part_is_retried_alone(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    class_ids = [c.ref.id for c in provider.list_classes()]
    sandbox.faults.add("503", method="GET", path_regex=r"/students$")
    people = provider.list_people(class_ids=class_ids)
    assert len(people) == 2 + 4
    assert sandbox.stats().faults == {"503": 1}


def test_a_lost_batch_answer_is_sent_again(
    sandbox: Sandbox, provider: GoogleClassroomProvider
) -> None:
    class_ids = [c.ref.id for c in provider.list_classes()]
    sandbox.faults.add("truncate", method="POST", path_regex=r"/batch$")
    sandbox.faults.add("reset_after", method="POST", path_regex=r"/batch$")
    assert len(provider.list_enrollments(class_ids)) == 9
    assert sandbox.stats().faults == {"truncate": 1, "reset_after": 1}
    assert provider.stats.batches == 3


def test_an_exhausted_retry_budget_raises_the_mapped_error(sandbox: Sandbox) -> None:
    provider = delegated(sandbox)
    sandbox.faults.add("reset_before", method="GET", path_regex=r"/v1/courses$", times=10)
    with pytest.raises(TransportError):
        provider.list_classes()


def test_a_rejected_token_is_an_authentication_error(sandbox: Sandbox) -> None:
    provider = GoogleClassroomProvider.from_token(
        "ya29.not-a-sandbox-token", tenant=DOMAIN, endpoint=sandbox.google_endpoint
    )
    with pytest.raises(AuthenticationError):
        provider.list_classes()


def test_every_call_in_a_batch_counts_against_the_quota(sandbox: Sandbox) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter([Window(5, 60.0)], clock=lambda: now[0], sleep=sleep)
    provider = delegated(sandbox, project_limiter=limiter)
    class_ids = [c.ref.id for c in provider.list_classes()]  # 1 call
    provider.list_enrollments(class_ids)  # owners known: one batch of 4 calls
    assert provider.stats.calls == 5
    assert limiter.waited == 0
    provider.list_categories(class_ids)  # 2 more calls: over 5 a minute, so it waits
    assert limiter.waited == pytest.approx(60.0)
    assert provider.stats.waited == pytest.approx(60.0)


def test_calls_are_counted_per_impersonated_user(provider: GoogleClassroomProvider) -> None:
    provider.list_classes()
    assert provider.stats.by_user == {f"admin@{DOMAIN}": 1}
    assert provider.stats.by_method == {"classroom.courses.list": 1}


def test_one_service_per_thread_and_user(sandbox: Sandbox) -> None:
    transport = delegated(sandbox)._transport
    here = transport.service(None)
    assert transport.service(None) is here
    assert transport.service(f"maria.petrova@{DOMAIN}") is not here
    other: list[object] = []
    worker = threading.Thread(target=lambda: other.append(transport.service(None)))
    worker.start()
    worker.join()
    assert other[0] is not here
    transport.close()


def test_nested_resources_are_built_once_per_service(sandbox: Sandbox) -> None:
    provider = delegated(sandbox)
    transport = provider._transport
    service = transport.service(None)
    path = ("courses", "courseWork", "studentSubmissions")
    leaf = resource(service, *path)
    assert resource(service, *path) is leaf
    assert resource(service, "courses", "courseWork") is not leaf
    assert resource(transport.service(f"maria.petrova@{DOMAIN}"), *path) is not leaf
    class_ids = [c.ref.id for c in provider.list_classes()]
    assert len(provider.list_submissions(class_ids)) == 6  # through the kept resources
    assert resource(service, *path) is leaf
    transport.close()  # drops the services, and their resources with them
    fresh = transport.service(None)
    assert fresh is not service
    assert resource(fresh, *path) is not leaf
    assert len(provider.list_submissions(class_ids)) == 6
    transport.close()


def test_without_delegation_every_call_runs_as_the_token_user(sandbox: Sandbox) -> None:
    provider = token_provider(sandbox, f"maria.petrova@{DOMAIN}")
    assert [c.name for c in provider.list_classes()] == ["Математика 7А"]
    assert provider.stats.by_user == {"self": 1}
