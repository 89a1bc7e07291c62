"""Fixtures of the provider contract suite: each backend, live and replayed.

Every contract test takes ``provider`` (reads) and/or ``writer`` (writes) and runs once
per ``backend`` (``google``, ``microsoft``) and ``mode``:

- ``live``: against the embedded sandbox;
- ``replay``: from ``cassettes/<backend>/<test name without test_>.yaml``, with no
  sandbox and the network blocked. With ``--record-mode=rewrite`` the ``replay`` tests
  record those cassettes against the sandbox instead (see docs/testing.md).

``target`` is the class the suite works on (``contract_target.py``), ``traits`` what the
backend's platform does differently, ``scenario.requests()`` the HTTP requests sent so
far (the sandbox's counter live, the cassette's play count in replay). How each backend
is built and which credentials it uses: ``contract_env.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from contract_env import Env, Scenario, Session
from contract_target import Target, Traits, traits_of

from unified_edu.providers.base import Provider

_PASSED = pytest.StashKey[bool]()
_OURS = frozenset({"backend", "mode"})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if call.when == "call":
        item.stash[_PASSED] = bool(getattr(report, "passed", False))
    return report


@pytest.fixture(scope="session")
def contract_session(record_mode: str) -> Iterator[Session]:
    session = Session(record_mode)
    yield session
    session.close()


@pytest.fixture(scope="session", params=["google", "microsoft"])
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="session", params=["live", "replay"])
def mode(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def env(contract_session: Session, backend: str, mode: str) -> Env:
    return contract_session.env(backend, mode)


@pytest.fixture(scope="session")
def target(env: Env) -> Target:
    return env.target()


@pytest.fixture(scope="session")
def traits(backend: str) -> Traits:
    return traits_of(backend)


@pytest.fixture
def scenario(env: Env, target: Target, request: pytest.FixtureRequest) -> Iterator[Scenario]:
    """The test's cassette (replay and record), named after the test function.

    It takes ``target`` so that discovery (its own cassette) is done before this one opens.
    """
    name = request.node.originalname.removeprefix("test_")
    params = getattr(request.node, "callspec", None)
    extra = [str(v) for k, v in (params.params.items() if params else ()) if k not in _OURS]
    name = "-".join([name, *extra])
    with env.scenario(name) as opened:
        yield opened
        cassette = opened.cassette
        if env.kind == "replay" and request.node.stash.get(_PASSED, False):
            assert cassette.all_played, (
                f"{name}.yaml has {len(cassette) - cassette.play_count} unused exchanges: the "
                "backend now sends fewer requests; re-record (docs/testing.md)"
            )


def _sandbox_of(request: pytest.FixtureRequest) -> str:
    """``writes`` for modules that set ``CONTRACT_SANDBOX = "writes"``, else ``reads``."""
    return str(getattr(request.module, "CONTRACT_SANDBOX", "reads"))


@pytest.fixture
def provider(env: Env, scenario: Scenario, request: pytest.FixtureRequest) -> Iterator[Provider]:
    """The reading provider: Google DWD as the admin; Microsoft app-only."""
    built = env.reader(_sandbox_of(request))
    yield built
    built.close()


@pytest.fixture
def writer(env: Env, scenario: Scenario, request: pytest.FixtureRequest) -> Iterator[Provider]:
    """The writing provider: Google DWD as the class's teacher; Microsoft delegated teacher."""
    built = env.writer(_sandbox_of(request))
    yield built
    built.close()
