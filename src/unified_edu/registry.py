"""Provider names → lazily imported backend classes, with an install hint.

Built-in backends are listed in :data:`_BUILTIN`; third-party ones register through the
``unified_edu.providers`` entry-point group (``name = "package.module:Class"``) or at run
time with :func:`register_provider`. Nothing here imports a platform client until a
provider is asked for by name.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import threading

import attrs

from unified_edu.errors import ConfigurationError
from unified_edu.providers.base import Provider

__all__ = ["available_providers", "get_provider_class", "register_provider"]

ENTRY_POINT_GROUP = "unified_edu.providers"


@attrs.frozen
class _Entry:
    target: str  # "package.module:ClassName"
    extra: str | None  # the pip extra that brings its dependencies
    requires: tuple[str, ...]  # top-level modules whose absence means "install the extra"


_BUILTIN: dict[str, _Entry] = {
    "google": _Entry(
        "unified_edu.providers.google:GoogleClassroomProvider",
        "google",
        ("googleapiclient", "google.auth", "google_auth_httplib2"),
    ),
    "microsoft": _Entry(
        "unified_edu.providers.microsoft:MicrosoftEducationProvider",
        "microsoft",
        ("msgraph", "azure.identity", "deprecated"),
    ),
}

_lock = threading.Lock()
_runtime: dict[str, _Entry] = {}
_loaded: dict[str, type[Provider]] = {}


def register_provider(name: str, target: str | type[Provider]) -> None:
    """Register a backend under ``name`` (overrides an entry point of the same name).

    Args:
        name: The name users put in config (``provider = "name"``).
        target: The class, or ``"package.module:ClassName"`` to import on first use.
    """
    with _lock:
        if isinstance(target, str):
            _runtime[name] = _Entry(target, None, ())
            _loaded.pop(name, None)
        else:
            _runtime[name] = _Entry(f"{target.__module__}:{target.__qualname__}", None, ())
            _loaded[name] = target


def _entry_points() -> dict[str, _Entry]:
    found: dict[str, _Entry] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = _Entry(ep.value, None, ())
    return found


def _table() -> dict[str, _Entry]:
    return {**_BUILTIN, **_entry_points(), **_runtime}


def available_providers() -> list[str]:
    """Every known provider name, sorted (built-in, entry points and registered)."""
    return sorted(_table())


def get_provider_class(name: str) -> type[Provider]:
    """Import and return the backend class registered as ``name``.

    Raises:
        ConfigurationError: for an unknown name (listing the known ones), or when the
            backend's optional dependencies are missing (with the ``pip install`` hint).
    """
    with _lock:
        if name in _loaded:
            return _loaded[name]
    table = _table()
    entry = table.get(name)
    if entry is None:
        known = ", ".join(sorted(table))
        raise ConfigurationError(f"unknown provider {name!r}; known providers: {known}")
    for module in entry.requires:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigurationError(
                f"provider {name!r} needs {module!r}, which is not installed; "
                f'install it with: pip install "unified-edu[{entry.extra}]"'
            ) from exc
    module_name, _, class_name = entry.target.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(
            f"provider {name!r} could not be loaded from {entry.target!r}: {exc}"
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, Provider)):
        raise ConfigurationError(f"{entry.target!r} is not a unified_edu Provider subclass")
    with _lock:
        _loaded[name] = cls
    return cls
