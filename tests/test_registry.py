"""The provider registry: lazy names, install hints, entry points, runtime registration."""

from __future__ import annotations

import builtins
import importlib.metadata
from typing import Any

import pytest

from unified_edu import (
    ConfigurationError,
    Provider,
    available_providers,
    get_provider_class,
    registry,
)


def test_builtin_names_are_listed_sorted() -> None:
    names = available_providers()
    assert {"google", "microsoft"} <= set(names)
    assert names == sorted(names)


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError) as info:
        get_provider_class("moodle")
    assert "unknown provider 'moodle'" in str(info.value)
    assert "google" in str(info.value)
    assert "microsoft" in str(info.value)


@pytest.mark.parametrize(
    ("name", "module", "extra"),
    [("google", "googleapiclient", "google"), ("microsoft", "msgraph", "microsoft")],
)
def test_missing_extra_gives_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, name: str, module: str, extra: str
) -> None:
    real_import = builtins.__import__

    def fake_import(mod: str, *args: Any, **kwargs: Any) -> Any:
        if mod == module or mod.startswith(module + "."):
            raise ModuleNotFoundError(f"No module named {mod!r}", name=mod)
        return real_import(mod, *args, **kwargs)

    monkeypatch.setattr(registry, "_loaded", {})
    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.setattr(registry.importlib, "import_module", fake_import)
    with pytest.raises(ConfigurationError) as info:
        get_provider_class(name)
    assert f'pip install "unified-edu[{extra}]"' in str(info.value)


class Dummy(Provider):
    """Only the class matters here; it is never instantiated."""

    name = "dummy"


def test_runtime_registration_by_class_and_by_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_runtime", {})
    monkeypatch.setattr(registry, "_loaded", {})
    registry.register_provider("dummy", Dummy)
    assert get_provider_class("dummy") is Dummy
    registry.register_provider("dummy2", f"{__name__}:Dummy")
    assert get_provider_class("dummy2") is Dummy
    assert "dummy" in available_providers()


def test_a_target_that_is_not_a_provider_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_runtime", {})
    monkeypatch.setattr(registry, "_loaded", {})
    registry.register_provider("bogus", "json:JSONDecoder")
    with pytest.raises(ConfigurationError, match="not a unified_edu Provider"):
        get_provider_class("bogus")
    registry.register_provider("missing", "no_such_module_xyz:Thing")
    with pytest.raises(ConfigurationError, match="could not be loaded"):
        get_provider_class("missing")


def test_entry_points_are_discovered(monkeypatch: pytest.MonkeyPatch) -> None:
    ep = importlib.metadata.EntryPoint(
        name="thirdparty", value=f"{__name__}:Dummy", group=registry.ENTRY_POINT_GROUP
    )

    def fake_entry_points(*, group: str) -> list[importlib.metadata.EntryPoint]:
        return [ep] if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(registry, "_loaded", {})
    monkeypatch.setattr(registry.importlib.metadata, "entry_points", fake_entry_points)
    assert "thirdparty" in available_providers()
    assert get_provider_class("thirdparty") is Dummy
