"""The synchronous face over async msgraph: scripts, threads, a running loop, close()."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import provider_for
from msgraph_support import REPO, microsoft

from unified_edu.providers.microsoft import MicrosoftEducationProvider
from unified_edu.sandbox import Sandbox


def _runner_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("unified-edu-msgraph-")]


def test_many_threads_share_one_provider(app: MicrosoftEducationProvider) -> None:
    class_ids = sorted(c.ref.id for c in app.list_classes())[:8]

    def work(class_id: str) -> tuple[str, int]:
        return app.get_class(class_id).ref.id, len(app.list_enrollments(class_id))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, class_ids))
    assert results == [work(class_id) for class_id in class_ids]  # same as one at a time
    assert [r[0] for r in results] == class_ids


def test_inside_a_running_event_loop(app: MicrosoftEducationProvider) -> None:
    async def notebook_cell() -> int:
        # A Jupyter cell runs inside a loop; the sync API must still work there.
        assert asyncio.get_running_loop() is not None
        return len(app.list_schools())

    assert asyncio.run(notebook_cell()) == 3
    assert asyncio.run(notebook_cell()) == 3  # a second loop: no "Event loop is closed"


def test_iteration_is_lazy_and_streams(app: MicrosoftEducationProvider) -> None:
    before = app.request_counts()["http_requests"]
    classes = app.iter_classes()
    assert app.request_counts()["http_requests"] == before  # nothing sent until iterated
    first = next(classes)
    assert first.ref.id
    classes.close()


def test_close_releases_the_runner_thread_and_connections(graph_sandbox: Sandbox) -> None:
    provider = provider_for(graph_sandbox, "app")
    provider.list_schools()
    mine = [t for t in _runner_threads() if t.name.endswith(provider.tenant)]
    assert mine
    assert all(t.is_alive() for t in mine)
    transport = provider._ctx.transport
    provider.close()
    assert not any(t.is_alive() for t in mine)
    assert transport._http.is_closed
    provider.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        provider.list_schools()


def test_context_manager_closes(graph_sandbox: Sandbox) -> None:
    info = microsoft(graph_sandbox)
    with MicrosoftEducationProvider.from_token(
        info.tenant, info.tokens["app"], base_url=graph_sandbox.graph_base_url
    ) as provider:
        assert provider.list_schools()
    assert provider._runner.closed


def test_importing_the_package_does_not_import_msgraph() -> None:
    code = (
        "import sys, unified_edu, unified_edu.providers.microsoft as m;"
        "assert m.MicrosoftEducationProvider;"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('msgraph', 'msgraph_core'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
