"""What every command shares: options, exit codes, error reporting, logging, the city.

Exit codes (documented in ``docs/cli.md``):

==  =============================================================
0   success
1   partial failure (some classes or rows failed; the rest is done)
2   usage or configuration error (bad option, file, id or value)
3   authentication or permission error
4   platform unavailable (5xx, rate limited beyond retries, network)
==  =============================================================
"""

from __future__ import annotations

import enum
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import attrs
import typer
from rich.console import Console
from rich.markup import escape

from unified_edu.errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    UnifiedEduError,
    UnsupportedOperationError,
    ValidationError,
    redact,
)

__all__ = ["ConfigOption", "ExitCode", "State", "exit_code_for", "guarded", "state"]

T = TypeVar("T")

ConfigOption = Annotated[
    Path,
    typer.Option(
        "--config",
        "-c",
        envvar="UNIFIED_EDU_CONFIG",
        help="The tenants file (TOML).",
        dir_okay=False,
    ),
]


class ExitCode(enum.IntEnum):
    """The CLI's exit codes."""

    OK = 0
    PARTIAL = 1
    USAGE = 2
    AUTH = 3
    UNAVAILABLE = 4


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code an error ends the command with."""
    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return ExitCode.AUTH
    if isinstance(error, ServiceUnavailableError | TransportError | RateLimitedError):
        return ExitCode.UNAVAILABLE
    if isinstance(
        error, ConfigurationError | ValidationError | UnsupportedOperationError | NotFoundError
    ):
        return ExitCode.USAGE
    if isinstance(error, ConflictError):
        return ExitCode.PARTIAL
    return ExitCode.PARTIAL if isinstance(error, UnifiedEduError) else ExitCode.USAGE


@attrs.define
class State:
    """Global options, set by the app's callback."""

    quiet: bool = False
    verbose: bool = False
    debug: bool = False
    console: Console = attrs.field(factory=Console)
    errors: Console = attrs.field(factory=lambda: Console(stderr=True))


state = State()


class _RedactingFilter(logging.Filter):
    """Scrub credentials from every log record before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def configure_logging(*, verbose: bool, debug: bool) -> None:
    """Log to stderr: warnings by default, info with --verbose, debug with --debug."""
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Platform clients log request headers at DEBUG; keep them quiet unless debugging.
    for noisy in ("googleapiclient", "httpx", "httpcore", "azure", "msal", "urllib3", "hpack"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if debug else logging.WARNING)
    # googleapiclient logs every HTTP error at WARNING, even ones the SDK handles (a lookup
    # in a tenant that does not know the person); our own errors say what matters.
    logging.getLogger("googleapiclient.http").setLevel(logging.DEBUG if debug else logging.ERROR)


@contextmanager
def guarded() -> Iterator[None]:
    """Turn errors into one clear line on stderr and the documented exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except UnifiedEduError as exc:
        _report(exc)
        raise typer.Exit(exit_code_for(exc)) from None
    except KeyboardInterrupt:
        state.errors.print("interrupted")
        raise typer.Exit(130) from None


def _report(exc: BaseException) -> None:
    if state.debug:
        text = "".join(traceback.format_exception(exc))
        state.errors.print(redact(text), markup=False, highlight=False)
    message = escape(redact(str(exc)))  # "[provider=...]" is text, not rich markup
    state.errors.print(
        f"[red]error:[/] {type(exc).__name__}: {message}", highlight=False, soft_wrap=True
    )


def say(message: str) -> None:
    """Print unless --quiet."""
    if not state.quiet:
        state.console.print(message)


def default_config() -> Path:
    """``$UNIFIED_EDU_CONFIG`` or ``./tenants.toml``."""
    return Path(os.environ.get("UNIFIED_EDU_CONFIG", "tenants.toml"))


def with_city(config: Path, action: Callable[..., T]) -> T:
    """Open the city from ``config``, run ``action(city)``, close it."""
    from unified_edu.client import Municipality

    with Municipality.from_config(config) as city:
        return action(city)
