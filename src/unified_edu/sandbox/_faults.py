"""Fault injection for the sandbox: seeded random faults and scripted one-shot faults.

Owns the decision *which* fault, if any, hits one call; the server (``_pipeline.py``,
``_server.py``) carries it out. Five kinds exist:

- ``"503"`` and ``"429"``: answered with the platform's own error body
  (:meth:`PlatformApp.error`); they hit direct calls and batch parts, never a batch
  envelope.
- ``"reset_before"``: the connection is reset before the handler runs (nothing happened).
- ``"reset_after"``: the handler ran (a create *was* applied) and then the connection is
  reset: the answer is lost, which is how clients' "ambiguous create" handling is tested.
- ``"truncate"``: the handler ran; the answer is sent with its full ``Content-Length``
  but only half of the body, then the connection is closed.

Resets and truncation hit outer HTTP requests only (a direct call or a batch envelope).
Every random decision comes from one ``random.Random(seed)`` behind a lock, so a
sequential client sees the same faults on every run.

This module must not import any platform client.
"""

from __future__ import annotations

import random
import re
import threading
from typing import Literal, get_args

import attrs

from unified_edu.errors import ValidationError

__all__ = ["CallScope", "FaultConfig", "FaultInjector", "FaultKind", "ScriptedFault"]

FaultKind = Literal["503", "429", "reset_before", "reset_after", "truncate"]
#: ``"direct"``: an outer call; ``"batch"``: an outer batch envelope; ``"part"``: one part.
CallScope = Literal["direct", "batch", "part"]

_KINDS: frozenset[str] = frozenset(get_args(FaultKind))
_ELIGIBLE: dict[CallScope, frozenset[str]] = {
    "direct": _KINDS,
    "batch": frozenset({"reset_before", "reset_after", "truncate"}),
    "part": frozenset({"503", "429"}),
}

_rate = attrs.validators.and_(attrs.validators.ge(0.0), attrs.validators.le(1.0))


@attrs.frozen(kw_only=True)
class FaultConfig:
    """Random fault rates (each a probability per eligible call) and their seed.

    Attributes:
        rate_503: Chance of a 503 answer (direct calls and batch parts).
        rate_429: Chance of an injected 429 answer (direct calls and batch parts).
        rate_reset: Chance of a connection reset (outer requests); half of them before
            the handler runs, half after it.
        rate_truncate: Chance of a truncated answer body (outer requests).
        retry_after: ``Retry-After`` seconds of an injected 429 (fractions allowed).
        seed: Seed of the random generator.
    """

    rate_503: float = attrs.field(default=0.0, validator=_rate)
    rate_429: float = attrs.field(default=0.0, validator=_rate)
    rate_reset: float = attrs.field(default=0.0, validator=_rate)
    rate_truncate: float = attrs.field(default=0.0, validator=_rate)
    retry_after: float = attrs.field(default=1.0, validator=attrs.validators.ge(0.0))
    seed: int = 0

    def __attrs_post_init__(self) -> None:
        if self.rate_503 + self.rate_429 + self.rate_reset + self.rate_truncate > 1.0:
            raise ValidationError("fault rates add up to more than 1", field="faults")


@attrs.define(kw_only=True)
class ScriptedFault:
    """A fault that hits the next ``remaining`` matching calls, then disappears.

    Attributes:
        kind: What happens.
        method: Upper-case HTTP method to match, or ``None`` for any.
        path_regex: Searched (``re.search``) in the path without the query string, or
            ``None`` for any path.
        remaining: How many more calls it hits.
    """

    kind: FaultKind
    method: str | None
    path_regex: re.Pattern[str] | None
    remaining: int

    def matches(self, method: str, path: str, scope: CallScope) -> bool:
        """True when this fault applies to the call."""
        return (
            self.kind in _ELIGIBLE[scope]
            and (self.method is None or self.method == method)
            and (self.path_regex is None or self.path_regex.search(path) is not None)
        )


class FaultInjector:
    """Decides the fault of each call: scripted faults first, in order, then random ones.

    Args:
        config: Random fault rates and seed (default: no random faults).
    """

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._scripted: list[ScriptedFault] = []
        self._config = config or FaultConfig()
        self._rng = random.Random(self._config.seed)  # noqa: S311  # reproducible, not secret

    @property
    def config(self) -> FaultConfig:
        """The random fault rates in force."""
        return self._config

    @property
    def retry_after(self) -> float:
        """``Retry-After`` seconds of an injected 429."""
        return self._config.retry_after

    def configure(self, config: FaultConfig) -> None:
        """Replace the random fault rates and restart the generator from ``config.seed``."""
        with self._lock:
            self._config = config
            self._rng = random.Random(config.seed)  # noqa: S311

    def add(
        self,
        kind: FaultKind,
        *,
        method: str | None = None,
        path_regex: str | None = None,
        times: int = 1,
    ) -> None:
        """Script a fault for the next ``times`` calls matching ``method`` and ``path_regex``.

        ``"503"`` and ``"429"`` also hit batch parts; resets and truncation hit only outer
        HTTP requests, and a scripted one waits for the next matching outer request.

        Raises:
            ValidationError: For an unknown kind or a ``times`` below 1.
        """
        if kind not in _KINDS:
            raise ValidationError(f"unknown fault kind {kind!r}", field="kind")
        if times < 1:
            raise ValidationError("times must be at least 1", field="times")
        fault = ScriptedFault(
            kind=kind,
            method=method.upper() if method else None,
            path_regex=re.compile(path_regex) if path_regex is not None else None,
            remaining=times,
        )
        with self._lock:
            self._scripted.append(fault)

    def clear(self) -> None:
        """Forget every scripted fault that has not fired yet."""
        with self._lock:
            self._scripted.clear()

    def pending(self) -> list[ScriptedFault]:
        """Copies of the scripted faults that have not fired yet, in match order."""
        with self._lock:
            return [attrs.evolve(fault) for fault in self._scripted]

    def decide(self, method: str, path: str, scope: CallScope) -> FaultKind | None:
        """The fault for one call, or ``None``; consumes a scripted fault if one matches."""
        with self._lock:
            for fault in self._scripted:
                if fault.matches(method, path, scope):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._scripted.remove(fault)
                    return fault.kind
            return self._draw(scope)

    def _draw(self, scope: CallScope) -> FaultKind | None:
        config = self._config
        # "reset_before" stands for every reset here; a second draw picks before or after.
        candidates: tuple[tuple[FaultKind, float], ...] = (
            ("reset_before", config.rate_reset),
            ("truncate", config.rate_truncate),
            ("503", config.rate_503),
            ("429", config.rate_429),
        )
        rates = [(kind, rate) for kind, rate in candidates if rate > 0 and kind in _ELIGIBLE[scope]]
        if not rates:
            # No draw at all, so calls that cannot fail do not shift the sequence.
            return None
        roll = self._rng.random()
        threshold = 0.0
        for kind, rate in rates:
            threshold += rate
            if roll < threshold:
                if kind == "reset_before" and self._rng.random() >= 0.5:
                    return "reset_after"
                return kind
        return None
