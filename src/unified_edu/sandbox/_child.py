"""Entry point of a :class:`~unified_edu.sandbox.RemoteSandbox` child process.

Kept apart from ``_remote`` (which the package imports) so ``python -m`` runs it cleanly.
"""

from __future__ import annotations

import json
import sys

from unified_edu.sandbox._remote import _serve

if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]), sys.argv[2])
