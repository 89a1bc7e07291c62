"""A validator for the discovery document's JSON-schema dialect, and the Classroom
discovery document bundled with google-api-python-client.

The dialect: ``type`` (string, integer, number, boolean, object, array, any), ``$ref``,
``enum``, ``items``, ``properties``, ``additionalProperties`` and ``format``
(google-datetime, date-time, int32, uint32, int64, uint64, double, float, byte,
google-fieldmask, google-duration). An object property the schema does not declare is an
error: the emulator must never invent a field.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import googleapiclient

__all__ = ["Discovery", "SchemaError", "discovery"]

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
_INT_STRING = re.compile(r"^-?\d+$")
_DURATION = re.compile(r"^-?\d+(\.\d{1,9})?s$")
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1)}


class SchemaError(AssertionError):
    """A value does not match its schema; ``errors`` lists every mismatch."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors[:20]))
        self.errors = errors


class Discovery:
    """One discovery document: its schemas and methods by id."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.schemas: dict[str, Any] = document["schemas"]
        self.methods: dict[str, dict[str, Any]] = {}
        self._collect(document.get("resources", {}))

    def _collect(self, resources: dict[str, Any]) -> None:
        for resource in resources.values():
            for method in resource.get("methods", {}).values():
                self.methods[method["id"]] = method
            self._collect(resource.get("resources", {}))

    def errors(self, value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
        """Every way ``value`` fails ``schema``."""
        if "$ref" in schema:
            return self.errors(value, self.schemas[schema["$ref"]], path)
        kind = schema.get("type", "any")
        checker = getattr(self, f"_check_{kind}", None)
        if checker is None:
            return [f"{path}: unknown schema type {kind!r}"]
        found: list[str] = checker(value, schema, path)
        if not found and "enum" in schema and value not in schema["enum"]:
            found.append(f"{path}: {value!r} is not one of {schema['enum']}")
        return found

    def validate(self, value: Any, schema: dict[str, Any] | str) -> None:
        """Raise :class:`SchemaError` unless ``value`` matches (a schema or its name)."""
        resolved = {"$ref": schema} if isinstance(schema, str) else schema
        found = self.errors(value, resolved)
        if found:
            raise SchemaError(found)

    def validate_response(self, method_id: str, payload: Any) -> None:
        """Raise unless ``payload`` is a valid response body of the method."""
        self.validate(payload, self.methods[method_id]["response"]["$ref"])

    # -- one checker per type ------------------------------------------------------------

    def _check_any(self, value: Any, schema: dict[str, Any], path: str) -> list[str]:
        return []

    def _check_boolean(self, value: Any, schema: dict[str, Any], path: str) -> list[str]:
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a boolean"]

    def _check_integer(self, value: Any, schema: dict[str, Any], path: str) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{path}: {value!r} is not an integer"]
        low, high = _INT_RANGES.get(schema.get("format", ""), (None, None))
        if low is not None and high is not None and not low <= value <= high:
            return [f"{path}: {value} is out of {schema['format']} range"]
        return []

    def _check_number(self, value: Any, schema: dict[str, Any], path: str) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{path}: {value!r} is not a number"]
        return []

    def _check_string(self, value: Any, schema: dict[str, Any], path: str) -> list[str]:
        if not isinstance(value, str):
            return [f"{path}: {value!r} is not a string"]
        fmt = schema.get("format")
        if fmt in ("google-datetime", "date-time"):
            if not _RFC3339.match(value):
                return [f"{path}: {value!r} is not an RFC 3339 timestamp"]
            dt.datetime.fromisoformat(value)
        elif fmt in ("int64", "uint64") and not _INT_STRING.match(value):
            return [f"{path}: {value!r} is not an {fmt} string"]
        elif fmt == "byte":
            try:
                base64.b64decode(value.replace("-", "+").replace("_", "/"), validate=True)
            except binascii.Error:
                return [f"{path}: {value!r} is not base64"]
        elif fmt == "google-duration" and not _DURATION.match(value):
            return [f"{path}: {value!r} is not a duration"]
        return []

    def _check_array(self, value: Any, schema: dict[str, Any], path: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{path}: {value!r} is not an array"]
        items = schema.get("items", {})
        return [e for i, item in enumerate(value) for e in self.errors(item, items, f"{path}[{i}]")]

    def _check_object(self, value: Any, schema: dict[str, Any], path: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path}: {value!r} is not an object"]
        properties: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        found: list[str] = []
        for key, item in value.items():
            if key in properties:
                found += self.errors(item, properties[key], f"{path}.{key}")
            elif extra is not None:
                found += self.errors(item, extra, f"{path}[{key!r}]")
            else:
                found.append(f"{path}: unknown property {key!r}")
        return found


@cache
def discovery() -> Discovery:
    """The bundled ``classroom.v1.json`` (the same file static discovery uses)."""
    root = Path(googleapiclient.__file__).parent
    path = root / "discovery_cache" / "documents" / "classroom.v1.json"
    return Discovery(json.loads(path.read_text(encoding="utf-8")))
