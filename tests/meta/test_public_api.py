"""Architecture rules as tests: the public surface and what importing it costs."""

from __future__ import annotations

import subprocess
import sys
import types

import unified_edu
import unified_edu.models


def public_names(module: types.ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", module.__name__).startswith("unified_edu")
    }


def isort_style(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions (ruff RUF022's order)."""
    if name.isupper():
        return (0, name)
    return (1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_unique() -> None:
    for module in (unified_edu, unified_edu.models):
        names = list(module.__all__)
        assert names == sorted(names, key=isort_style), module.__name__
        assert len(names) == len(set(names))


def test_all_is_complete_and_resolvable() -> None:
    for module in (unified_edu, unified_edu.models):
        for name in module.__all__:
            assert hasattr(module, name), name
    missing = public_names(unified_edu) - set(unified_edu.__all__) - {"annotations"}
    assert not missing, f"public but not in __all__: {sorted(missing)}"


def test_importing_the_package_imports_no_platform_client() -> None:
    code = (
        "import sys, unified_edu, unified_edu.registry, unified_edu.cli\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('googleapiclient', 'msgraph', 'msgraph_core', 'azure', 'kiota_abstractions',"
        " 'httplib2')]\n"
        "print(','.join(sorted(heavy)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_version_is_exported() -> None:
    assert unified_edu.__version__
