"""The ``unified-edu`` command line: a thin layer over the public API.

``unified-edu --help`` imports neither platform client; commands import what they use.
"""

from __future__ import annotations

from unified_edu.cli._app import app, main

__all__ = ["app", "main"]
