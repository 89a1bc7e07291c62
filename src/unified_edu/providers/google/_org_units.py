"""Schools by organisational unit: the optional OU → school table and the owners' OUs.

By default a Google tenant is one School (its Workspace domain). With a table of OU paths
→ school names (``org_units``), each configured OU is a School too, and a class belongs
to the school of the **longest configured OU path that contains its owner's**
``orgUnitPath`` (whole path segments: ``/Schools/A`` contains ``/Schools/A/Teachers`` but
not ``/Schools/AB``). Owners outside every configured OU, or unknown to the Directory,
stay in the domain school.

A School's native id is its OU path as configured (``/Schools/OU Paisiy``): the path is
what the table names, and an ``orgUnitId`` would cost an extra ``orgunits.list`` call and
the ``admin.directory.orgunit.readonly`` scope.

Owners' OUs come from **one** Admin SDK Directory listing of the domain's users
(``users.list``, 500 per page, only ``id``, ``primaryEmail`` and ``orgUnitPath``), made on
first need and kept for the provider's life: ⌈users / 500⌉ requests in all, where a
``users.get`` per owner would cost one request per teacher (and a domain has far fewer
pages of 500 users than teachers). The listing runs as the admin, needs the scope
:data:`DIRECTORY_SCOPE`, and is not counted against Classroom's quotas (the Directory API
has its own); failures map to the unified error tree like every other call.

Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from unified_edu.errors import ConfigurationError

__all__ = ["DIRECTORY_SCOPE", "OrgUnits", "UserDirectory", "parse_org_units"]

#: The Directory's read-only users scope (discovery: ``directory.users.list``).
DIRECTORY_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly"
#: ``maxResults`` maximum of ``users.list`` (discovery: 1..500).
DIRECTORY_PAGE_SIZE = 500
#: Partial response: only what the mapping needs.
USER_FIELDS = "nextPageToken,users(id,primaryEmail,orgUnitPath)"


def _normal(path: str) -> str:
    return "/" + path.strip("/") if path.strip("/") else "/"


def parse_org_units(raw: object, *, tenant: str | None = None) -> dict[str, str]:
    """Check an ``org_units`` table (OU path → school name) and normalise its paths.

    Raises:
        ConfigurationError: Not a table, a path not starting with ``/``, an empty or
            non-string name, or two spellings of one path.
    """
    field = "options.org_units"
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigurationError(
            "org_units must be a non-empty table of OU path = school name",
            tenant=tenant,
            field=field,
        )
    table: dict[str, str] = {}
    for path, name in raw.items():
        where = f"{field}.{path!r}"
        if not isinstance(path, str) or not path.startswith("/"):
            raise ConfigurationError(
                "an OU path starts with / (as orgUnitPath does)", tenant=tenant, field=where
            )
        if not isinstance(name, str) or not name.strip():
            raise ConfigurationError(
                "a school name must be a non-empty string", tenant=tenant, field=where
            )
        key = _normal(path)
        if key in table:
            raise ConfigurationError(f"the OU {key!r} is listed twice", tenant=tenant, field=where)
        table[key] = name.strip()
    return table


@attrs.frozen
class OrgUnits:
    """The OU → school table (paths normalised by :func:`parse_org_units`)."""

    schools: Mapping[str, str]

    @classmethod
    def parse(cls, raw: object, *, tenant: str | None = None) -> OrgUnits:
        """Validate ``raw`` (see :func:`parse_org_units`)."""
        return cls(parse_org_units(raw, tenant=tenant))

    def school_of(self, org_unit_path: str | None) -> str | None:
        """The configured OU with the longest path containing ``org_unit_path``, if any."""
        if not org_unit_path:
            return None
        path = _normal(org_unit_path)
        while True:
            if path in self.schools:
                return path
            if path == "/":
                return None
            path = path.rsplit("/", 1)[0] or "/"


class UserDirectory:
    """The domain's users' OUs, listed once (see the module docstring).

    Args:
        pages: Yields the ``users.list`` pages (each the parsed JSON) of the domain.
    """

    def __init__(self, pages: Callable[[], Iterator[Any]]) -> None:
        self._pages = pages
        self._lock = threading.Lock()
        self._paths: dict[str, str] | None = None

    def org_unit_of(self, user: str) -> str | None:
        """The ``orgUnitPath`` of a user id or e-mail (the first call lists the domain).

        A course's ``ownerId`` is a Classroom user id; for a user of the domain it is
        assumed to be the Directory user ``id`` (both are the Google account's id; the
        public docs do not state it in so many words), and an e-mail is matched too.
        """
        with self._lock:  # Concurrent first callers wait for the one listing.
            if self._paths is None:
                self._paths = self._load()
            return self._paths.get(user.lower())

    def _load(self) -> dict[str, str]:
        paths: dict[str, str] = {}
        for page in self._pages():
            for user in page.get("users") or ():
                where = user.get("orgUnitPath") or "/"
                if user.get("id"):
                    paths[str(user["id"])] = where
                if user.get("primaryEmail"):
                    paths[str(user["primaryEmail"]).lower()] = where
        return paths
