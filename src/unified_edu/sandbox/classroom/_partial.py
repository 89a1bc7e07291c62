"""Partial responses: Google's ``fields`` system parameter.

Every Google API accepts ``fields`` (discovery doc, top-level ``parameters``) to trim an
answer: ``nextPageToken,courses(id,name)``, ``courses/id``, ``*``. Google advises it for
bulk listings (reference §6, item 1), so the emulator honours it: a syntax error is 400
INVALID_ARGUMENT, a name that matches nothing selects nothing. Handlers may ask
:func:`selects` whether a costly field will survive, and skip building it if not.

This module must not import any platform client.
"""

from __future__ import annotations

import re
from typing import Any

from unified_edu.sandbox.classroom._errors import invalid_argument

__all__ = ["Selection", "parse_fields", "select", "selects"]

# name -> sub-selection (None: the whole value).
Selection = dict[str, "Selection | None"]
_TOKEN = re.compile(r"[A-Za-z0-9_*]+|[(),/]")


def parse_fields(text: str) -> Selection:
    """Parse a ``fields`` value; 400 when it is malformed."""
    tokens = _TOKEN.findall(text.replace(" ", ""))
    if "".join(tokens) != text.replace(" ", ""):
        raise invalid_argument(f"Invalid field selection {text}")
    selection, rest = _parse_list(tokens, text)
    if rest:
        raise invalid_argument(f"Invalid field selection {text}")
    return selection


def _parse_list(tokens: list[str], text: str) -> tuple[Selection, list[str]]:
    selection: Selection = {}
    while True:
        name, sub, tokens = _parse_item(tokens, text)
        _merge(selection, name, sub)
        if not tokens or tokens[0] != ",":
            return selection, tokens
        tokens = tokens[1:]


def _parse_item(tokens: list[str], text: str) -> tuple[str, Selection | None, list[str]]:
    if not tokens or not _TOKEN.fullmatch(tokens[0]) or tokens[0] in "(),/":
        raise invalid_argument(f"Invalid field selection {text}")
    name, tokens = tokens[0], tokens[1:]
    if tokens and tokens[0] == "/":
        inner, sub, tokens = _parse_item(tokens[1:], text)
        return name, {inner: sub}, tokens
    if tokens and tokens[0] == "(":
        sub_list, tokens = _parse_list(tokens[1:], text)
        if not tokens or tokens[0] != ")":
            raise invalid_argument(f"Invalid field selection {text}")
        return name, sub_list, tokens[1:]
    return name, None, tokens


def _merge(selection: Selection, name: str, sub: Selection | None) -> None:
    if name in selection:
        current = selection[name]
        if current is None or sub is None:
            selection[name] = None
        else:
            for key, value in sub.items():
                _merge(current, key, value)
    else:
        selection[name] = sub


def select(value: Any, selection: Selection | None) -> Any:
    """``value`` trimmed to ``selection`` (lists: each element)."""
    if selection is None:
        return value
    if isinstance(value, list):
        return [select(item, selection) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for name, sub in selection.items():
        if name == "*":
            for key, item in value.items():
                out[key] = select(item, sub)
        elif name in value:
            out[name] = select(value[name], sub)
    return out


def selects(selection: Selection | None, *path: str) -> bool:
    """Whether the value at ``path`` (object names; lists are transparent) is kept."""
    current = selection
    for name in path:
        if current is None:
            return True
        if name in current:
            current = current[name]
        elif "*" in current:
            current = current["*"]
        else:
            return False
    return True
