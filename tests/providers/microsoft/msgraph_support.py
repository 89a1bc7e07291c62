"""Shared helpers of the Microsoft backend's tests: the conformance examples and the sandbox."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from unified_edu.sandbox import Sandbox, TenantInfo

REPO = Path(__file__).resolve().parents[3]
#: Microsoft's documentation examples (shared/ lies beside the repository).
CONFORMANCE = REPO.parent / "shared" / "conformance" / "graph"


def conformance_index() -> list[dict[str, str]]:
    """The rows of ``index.tsv`` (file, http_method, path, response_status, ...)."""
    with (CONFORMANCE / "index.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def load(name: str) -> Any:
    """One conformance file, parsed."""
    return json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))


def microsoft(sb: Sandbox) -> TenantInfo:
    """The sandbox's Microsoft tenant."""
    return next(t for t in sb.tenants if t.platform == "microsoft")
