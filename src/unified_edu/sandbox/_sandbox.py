"""The public :class:`Sandbox`: a seeded city served by both platform emulators on loopback.

Owns assembly and lifetime: it builds the city and the emulators, wires the pipeline
(quotas, faults, counters) to the HTTP server, and exposes what a test or a script needs
(URLs, tenants and their credentials, counters, the request log). The emulators are
imported lazily so that a missing one (or a trimmed install) still leaves the other.

This module must not import any platform client.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import attrs

from unified_edu.errors import ConfigurationError
from unified_edu.sandbox._city import City
from unified_edu.sandbox._core import PlatformApp, TenantInfo
from unified_edu.sandbox._faults import FaultConfig, FaultInjector
from unified_edu.sandbox._pipeline import Pipeline, RequestIds
from unified_edu.sandbox._quotas import QuotaTracker
from unified_edu.sandbox._server import SandboxServer
from unified_edu.sandbox._stats import LogEntry, Recorder, StatsSnapshot
from unified_edu.sandbox._tenants_file import write_tenants_toml

__all__ = ["Sandbox"]

log = logging.getLogger("unified_edu.sandbox")

# Platform emulators by module and class; each takes the City as its only positional arg.
_EMULATORS: tuple[tuple[str, str], ...] = (
    ("unified_edu.sandbox.classroom", "ClassroomApp"),
    ("unified_edu.sandbox.graph", "GraphApp"),
)


class Sandbox:
    """Both platforms' APIs on ``http://127.0.0.1:PORT``, serving in a background thread.

    The constructor binds and starts the server; :meth:`start` is the usual way to build
    one from a seed. Use it as a context manager, or call :meth:`stop`.

    Args:
        apps: The platform emulators (tests may pass their own :class:`PlatformApp`).
        city: The city the emulators serve, if any (kept for callers to inspect).
        seed: Seed of request ids and latency jitter.
        latency: Seconds added to every HTTP request (once per batch, not per part).
        jitter: Up to this many more seconds per request, drawn from the seed.
        quotas: Enforce the platforms' quotas (the emulators supply the real numbers).
        quota_scale: Multiplies every quota limit (``0.1``: ten times fewer calls).
        faults: Random fault rates and their seed (default: none).
        port: TCP port on 127.0.0.1; 0 picks a free one.
        log_size: How many calls the request log keeps.

    Attributes:
        url: ``"http://127.0.0.1:PORT"``.
        google_endpoint: The ``api_endpoint`` for google-api-python-client.
        graph_base_url: The base URL for msgraph-sdk's request adapter.
        city: The seeded city, or ``None``.
        tenants: Every emulated tenant with ready-made credentials.
        faults: Scripted and random fault injection (:meth:`FaultInjector.add`).
    """

    def __init__(
        self,
        apps: Sequence[PlatformApp],
        *,
        city: City | None = None,
        seed: int = 2026,
        latency: float = 0.0,
        jitter: float = 0.0,
        quotas: bool = True,
        quota_scale: float = 1.0,
        faults: FaultConfig | None = None,
        port: int = 0,
        log_size: int = 10_000,
    ) -> None:
        if not apps:
            raise ConfigurationError("a sandbox needs at least one platform emulator")
        if latency < 0 or jitter < 0:
            raise ConfigurationError("latency and jitter cannot be negative", field="latency")
        self.apps: tuple[PlatformApp, ...] = tuple(apps)
        self.city = city
        self.faults = FaultInjector(faults)
        self._quotas = QuotaTracker(scale=quota_scale) if quotas else None
        self._recorder = Recorder(log_size=log_size)
        pipeline = Pipeline(
            recorder=self._recorder,
            faults=self.faults,
            quotas=self._quotas,
            ids=RequestIds(seed),
        )
        self._server = SandboxServer(
            self.apps,
            pipeline,
            port=port,
            latency=latency,
            jitter=jitter,
            seed=seed,
            tenants=self._tenants_payload,
        )
        self.url = self._server.url
        self.google_endpoint = self.url + "/"
        self.graph_base_url = self.url + "/v1.0"
        # Asked only now: tokens and key files embed base_url, set by the server above.
        try:
            self.tenants: list[TenantInfo] = [
                info for app in self.apps for info in app.tenant_infos()
            ]
        except BaseException:
            self._server.stop()  # Release the bound port.
            raise
        self._server.start()

    @classmethod
    def start(
        cls,
        seed: int = 2026,
        scale: int = 1,
        *,
        latency: float = 0.0,
        jitter: float = 0.0,
        quotas: bool = True,
        quota_scale: float = 1.0,
        faults: FaultConfig | None = None,
        port: int = 0,
        city: City | None = None,
        apps: Sequence[PlatformApp] | None = None,
        log_size: int = 10_000,
    ) -> Sandbox:
        """Generate the city of ``seed`` and ``scale`` and serve it on both platforms.

        Args:
            seed: Seed of the city (and of request ids and jitter).
            scale: Size of the city (1: a few schools).
            city: Serve this city instead of generating one.
            apps: Serve these emulators instead of the platform ones (``city`` is then
                only kept for reference).

        The other arguments are those of :class:`Sandbox`.

        Raises:
            ConfigurationError: When no emulator (or no city generator) is available.
        """
        if apps is None:
            if city is None:
                city = _generate_city(seed, scale)
            apps = _platform_apps(city)
        return cls(
            apps,
            city=city,
            seed=seed,
            latency=latency,
            jitter=jitter,
            quotas=quotas,
            quota_scale=quota_scale,
            faults=faults,
            port=port,
            log_size=log_size,
        )

    @property
    def port(self) -> int:
        """The TCP port on 127.0.0.1."""
        return self._server.port

    @property
    def running(self) -> bool:
        """True until :meth:`stop`."""
        return self._server.running

    def stats(self) -> StatsSnapshot:
        """The counters since start (or the last :meth:`reset_stats`)."""
        return self._recorder.snapshot()

    def reset_stats(self) -> None:
        """Zero the counters and empty the request log (quotas keep counting)."""
        self._recorder.reset()

    def reset_quotas(self) -> None:
        """Forget the calls counted against quotas, as if the windows had passed."""
        if self._quotas is not None:
            self._quotas.reset()

    def log(self, limit: int | None = None) -> list[LogEntry]:
        """The most recent ``limit`` calls (all kept when ``None``), oldest first."""
        return self._recorder.entries(limit)

    def app(self, platform: Literal["google", "microsoft"]) -> PlatformApp:
        """The emulator of ``platform``.

        Raises:
            ConfigurationError: When this sandbox does not emulate it.
        """
        for app in self.apps:
            if app.platform == platform:
                return app
        raise ConfigurationError(f"this sandbox does not emulate {platform!r}", field="platform")

    def issue_token(
        self,
        platform: Literal["google", "microsoft"],
        tenant: str,
        subject: str,
        **options: Any,
    ) -> str:
        """Mint a bearer token through the platform's emulator.

        Args:
            platform: ``"google"`` or ``"microsoft"``.
            tenant: The tenant name.
            subject: The user (or, app-only, the app).
            **options: ``app_only``, ``scopes``, ``project`` (see
                :meth:`PlatformApp.issue_token`).
        """
        return self.app(platform).issue_token(tenant, subject, **options)

    def tenants_config_toml(self, directory: Path) -> Path:
        """Write a provisional tenants TOML file for this sandbox; returns its path.

        Credentials go to files with 0600 permissions beside it, never inline: a Google
        tenant uses its service-account key (impersonating the admin) when it has one,
        else the admin's token; a Microsoft tenant uses its app-only token.
        """
        return write_tenants_toml(
            self.tenants,
            directory,
            google_endpoint=self.google_endpoint,
            graph_base_url=self.graph_base_url,
            school_names={s.key: s.name for s in self.city.schools} if self.city else {},
            city_name="Пловдив (sandbox)",
            time_zone=self.city.time_zone if self.city else "Europe/Sofia",
        )

    def stop(self) -> None:
        """Stop serving and join every server thread (idempotent)."""
        self._server.stop()

    close = stop

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        platforms = ", ".join(app.platform for app in self.apps)
        return f"Sandbox(url={self.url!r}, platforms=[{platforms}], running={self.running})"

    def _tenants_payload(self) -> list[dict[str, Any]]:
        endpoints = {"google": self.google_endpoint, "microsoft": self.graph_base_url}
        return [
            {**attrs.asdict(info), "endpoint": endpoints[info.platform]} for info in self.tenants
        ]


def _generate_city(seed: int, scale: int) -> City:
    try:
        seed_module = importlib.import_module("unified_edu.sandbox._seed")
    except ModuleNotFoundError as exc:
        raise ConfigurationError("the sandbox city generator is not available") from exc
    city: City = seed_module.generate_city(seed, scale)
    return city


def _platform_apps(city: City) -> list[PlatformApp]:
    apps: list[PlatformApp] = []
    for module_name, class_name in _EMULATORS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # The emulator exists but something it needs is missing.
            module = None
        app_class = getattr(module, class_name, None)
        if app_class is None:
            log.warning("sandbox: %s.%s is not available", module_name, class_name)
            continue
        apps.append(app_class(city))
    if not apps:
        raise ConfigurationError("no sandbox platform emulator is available")
    return apps
