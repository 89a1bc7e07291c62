"""Where the contract suite's providers talk to: the live sandbox, or cassettes.

One :class:`Env` per backend and mode:

- ``live``: providers against the embedded sandbox, no cassette;
- ``replay`` (the default run): no sandbox is started; providers point at
  ``http://127.0.0.1:9`` and every request is answered from
  ``cassettes/<backend>/<scenario>.yaml`` (record mode ``none``: an unknown request
  fails, and a scenario must consume its whole cassette);
- ``record``: the ``replay`` tests when pytest runs with ``--record-mode=rewrite`` (or
  ``all``): providers against the sandbox, every exchange written to the cassette.

Two sandboxes serve the same seeded city: one for reads, never written to, so the city
stays a valid oracle; one for writes (grading seeded work changes it). Both are started
lazily, once per session and kind, and both assign the same native ids (seeded).

Credentials per backend, as ``reader`` (reads) and ``writer`` (writes):

- Google: both are the service account with domain-wide delegation, impersonating the
  admin (rosters, reads) or the class's teacher (homework, grading), as the backend
  chooses. Replay signs its ``/token`` assertions with a throw-away RSA key: the
  cassettes hold no assertion, so any key does.
- Microsoft: ``reader`` is the app-only token (every ``.All`` role: reads everything,
  guardians included, but cannot publish, edit or delete homework); ``writer`` is the
  delegated teacher token (creates, publishes, edits, deletes and grades homework in
  the teacher's own classes). Replay uses a placeholder token with the recorded
  identity (mode, user or app id), kept with no secret in ``cassettes/recorded.json``.

Both backends run one batch at a time (Google's default, ``concurrency=1`` on
Microsoft) so that every run sends the same requests; Microsoft polls without sleeping.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import threading
from collections.abc import Iterator
from typing import Any

import attrs
from contract_target import Target, discover
from contract_vcr import CASSETTES, FAKE_ORIGIN, contract_vcr
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from unified_edu._retry import RetryPolicy
from unified_edu.providers.base import Provider
from unified_edu.sandbox import Sandbox, TenantInfo
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city

__all__ = ["RECORDED", "Env", "Scenario", "Session"]

SEED = 2026
SCALE = 1
RECORDED = CASSETTES / "recorded.json"
BACKENDS = ("google", "microsoft")


async def _no_sleep(_: float) -> None:
    return None


def _claims(token: str) -> dict[str, Any]:
    """A JWT's claims, unverified (only to record who the sandbox's token is)."""
    part = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return data


def _graph_identity(token: str) -> dict[str, str]:
    claims = _claims(token)
    if claims.get("scp"):
        return {"mode": "delegated", "subject": claims["oid"], "app_id": claims["appid"]}
    return {"mode": "app_only", "subject": claims["appid"], "app_id": claims["appid"]}


@functools.cache
def _replay_key() -> str:
    # It signs assertions nobody checks (the cassettes hold none): small is fast to load.
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _replay_service_account() -> dict[str, str]:
    return {
        "type": "service_account",
        "project_id": "contract-replay",
        "private_key_id": "contract-replay",
        "private_key": _replay_key(),
        "client_email": "contract-replay@contract-replay.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": FAKE_ORIGIN + "/token",
    }


@attrs.define
class Scenario:
    """One test's view of the traffic: the cassette (if any) and a request counter."""

    env: Env
    cassette: Any = None

    def requests(self) -> int:
        """HTTP requests sent so far (direct calls and batch envelopes)."""
        if self.env.kind == "replay":
            return int(self.cassette.play_count)
        return self.env.session.sandbox_requests(self.env.kind)


class Session:
    """The session's city, sandboxes and environments (everything lazy)."""

    def __init__(self, record_mode: str) -> None:
        self.record_mode = record_mode
        self._lock = threading.Lock()
        self._cities: dict[tuple[int, int], City] = {}
        self._sandboxes: dict[tuple[str, str], Sandbox] = {}
        self._envs: dict[tuple[str, str], Env] = {}

    @property
    def recording(self) -> bool:
        """True when the replay tests record instead (``--record-mode`` other than none)."""
        return self.record_mode != "none"

    def city(self, seed: int = SEED, scale: int = SCALE) -> City:
        """The seeded city (generated once per seed and scale)."""
        if (seed, scale) not in self._cities:
            self._cities[seed, scale] = generate_city(seed, scale)
        return self._cities[seed, scale]

    def sandbox(self, kind: str, purpose: str) -> Sandbox:
        """The ``reads`` or ``writes`` sandbox of ``kind`` (``live`` or ``record``)."""
        with self._lock:
            key = (kind, purpose)
            if key not in self._sandboxes:
                self._sandboxes[key] = Sandbox.start(seed=SEED, scale=SCALE, city=self.city())
            return self._sandboxes[key]

    def sandbox_requests(self, kind: str) -> int:
        """HTTP requests the sandboxes of ``kind`` have answered."""
        return sum(sb.stats().http_requests for (k, _), sb in self._sandboxes.items() if k == kind)

    def env(self, backend: str, mode: str) -> Env:
        """The environment of ``backend`` in ``mode`` (``live`` or ``replay``)."""
        kind = "record" if mode == "replay" and self.recording else mode
        key = (backend, kind)
        if key not in self._envs:
            self._envs[key] = Env(session=self, backend=backend, kind=kind)
        return self._envs[key]

    def close(self) -> None:
        """Stop every sandbox."""
        for sb in self._sandboxes.values():
            sb.stop()
        self._sandboxes.clear()


def _recorded() -> dict[str, Any]:
    if not RECORDED.is_file():
        return {}
    data: dict[str, Any] = json.loads(RECORDED.read_text(encoding="utf-8"))
    return data


@attrs.define
class Env:
    """One backend in one mode: builds its providers and opens its cassettes."""

    session: Session
    backend: str
    kind: str
    _identity: dict[str, Any] | None = None
    _target: Target | None = None
    _scenario: Scenario | None = None

    # -- identity -----------------------------------------------------------------------

    @property
    def city(self) -> City:
        """The seeded city the cassettes were recorded from (or the sandbox serves)."""
        if self.kind == "replay":
            recorded = _recorded()
            return self.session.city(recorded["seed"], recorded["scale"])
        return self.session.city()

    def _tenant(self, sb: Sandbox) -> TenantInfo:
        platform = [t for t in sb.tenants if t.platform == self.backend]
        if self.backend == "google":
            school = self.city.schools_on("google")[0]
            return next(t for t in platform if t.tenant == school.tenant)
        return platform[0]

    def identity(self) -> dict[str, Any]:
        """Who the providers are: tenant, admin (Google), token identities (Microsoft).

        Live and record read it from the sandbox (record also writes it to
        ``recorded.json``); replay reads ``recorded.json``.
        """
        if self._identity is not None:
            return self._identity
        if self.kind == "replay":
            found = _recorded().get(self.backend)
            if found is None:
                raise LookupError(f"no recorded identity for {self.backend} in {RECORDED}")
            self._identity = dict(found)
            return self._identity
        info = self._tenant(self.session.sandbox(self.kind, "reads"))
        identity: dict[str, Any] = {"tenant": info.tenant, "admin": info.admin}
        if self.backend == "microsoft":
            identity["reader"] = _graph_identity(info.tokens["app"])
            identity["writer"] = _graph_identity(info.tokens["teacher"])
        self._identity = identity
        if self.kind == "record":
            recorded = _recorded()
            recorded.update({"seed": SEED, "scale": SCALE, self.backend: identity})
            RECORDED.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(recorded, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            RECORDED.write_text(text, encoding="utf-8")
        return identity

    # -- providers ----------------------------------------------------------------------

    def reader(self, purpose: str = "reads") -> Provider:
        """The reading provider, against the ``reads`` or ``writes`` sandbox."""
        return self._provider("reader", purpose)

    def writer(self, purpose: str = "writes") -> Provider:
        """The writing provider, against the ``reads`` or ``writes`` sandbox."""
        return self._provider("writer", purpose)

    def _provider(self, role: str, purpose: str) -> Provider:
        identity = self.identity()
        sb = None if self.kind == "replay" else self.session.sandbox(self.kind, purpose)
        if self.backend == "google":
            return self._google(identity, sb)
        return self._microsoft(identity, role, sb)

    def _google(self, identity: dict[str, Any], sb: Sandbox | None) -> Provider:
        from unified_edu.providers.google import GoogleClassroomProvider

        if sb is None:
            info: Any = _replay_service_account()
            endpoint = FAKE_ORIGIN + "/"
        else:
            info = self._tenant(sb).service_account
            endpoint = sb.google_endpoint
        school = next(s for s in self.city.schools if s.tenant == identity["tenant"])
        return GoogleClassroomProvider.from_service_account_info(
            info,
            admin=identity["admin"],
            tenant=identity["tenant"],
            endpoint=endpoint,
            school_name=school.name,
            time_zone=self.city.time_zone,
            retry=RetryPolicy.no_wait(),
        )

    def _microsoft(self, identity: dict[str, Any], role: str, sb: Sandbox | None) -> Provider:
        from unified_edu.providers.microsoft import (
            GraphCredentials,
            MicrosoftEducationProvider,
            PollPolicy,
        )

        options: dict[str, Any] = {
            "poll": PollPolicy(attempts=10, sleep=_no_sleep),
            "retry": RetryPolicy.no_wait(),
            "concurrency": 1,
            "time_zone": self.city.time_zone,
        }
        if sb is None:
            who = identity[role]
            credentials = GraphCredentials(
                mode=who["mode"],
                subject=who["subject"],
                app_id=who["app_id"],
                token="contract-replay-token",  # a placeholder; the cassettes answer
            )
            return MicrosoftEducationProvider(
                tenant=identity["tenant"],
                credentials=credentials,
                base_url=FAKE_ORIGIN + "/v1.0",
                **options,
            )
        token = self._tenant(sb).tokens["app" if role == "reader" else "teacher"]
        return MicrosoftEducationProvider.from_token(
            identity["tenant"], token, base_url=sb.graph_base_url, **options
        )

    # -- cassettes ----------------------------------------------------------------------

    @contextlib.contextmanager
    def scenario(self, name: str) -> Iterator[Scenario]:
        """Open ``cassettes/<backend>/<name>.yaml`` (replay, record) for one scenario."""
        if self.kind == "live":
            yield Scenario(self)
            return
        path = CASSETTES / self.backend / f"{name}.yaml"
        mode = "none"
        if self.kind == "record":
            path.unlink(missing_ok=True)
            mode = "all"
        with contract_vcr(record_mode=mode).use_cassette(str(path)) as cassette:
            yield Scenario(self, cassette)

    def target(self) -> Target:
        """The chosen class, found once per environment (``_discovery.yaml``)."""
        if self._target is None:
            with self.scenario("_discovery") as scenario:
                reader = self.reader()
                try:
                    writer = self.identity().get("writer")
                    teacher = writer["subject"] if writer else None
                    self._target = discover(self.city, self.backend, reader, teacher)
                finally:
                    reader.close()
                if scenario.cassette is not None and self.kind == "replay":
                    assert scenario.cassette.all_played, "_discovery.yaml was not fully used"
        return self._target
