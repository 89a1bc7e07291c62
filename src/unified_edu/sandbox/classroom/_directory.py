"""The Admin SDK Directory's ``users.list`` over the seeded city's Google users.

Only what the Google provider's schools-by-organisational-unit needs, in the wire format
of ``admin.directory_v1.json``: ``GET admin/directory/v1/users`` with ``customer``
(``my_customer`` or the tenant's customer id) or ``domain``, ``maxResults`` 1..500
(default 100), ``pageToken`` (the Classroom emulator's signed keyset tokens), ``fields``
(applied by the app like every partial response) and the scopes of the discovery doc.
Only domain admins may list (403 otherwise, as for a non-admin on Google).

Organisational units are derived from the seed, never stored in it: a person of school
``s1`` lives in ``/Schools/s1/Teachers``, ``/Schools/s1/Students`` or (admins)
``/Schools/s1`` (see :func:`org_unit_path`); anybody else in the root ``/``.

This module must not import any platform client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from unified_edu.sandbox._city import City
from unified_edu.sandbox.classroom._access import Call, listing
from unified_edu.sandbox.classroom._errors import invalid_argument, permission_denied
from unified_edu.sandbox.classroom._routing import Route
from unified_edu.sandbox.classroom._store import User

__all__ = ["PREFIX", "org_unit_path", "routes"]

PREFIX = "/admin/directory/"
_SCOPES = (
    "https://www.googleapis.com/auth/admin.directory.user",
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
    "https://www.googleapis.com/auth/cloud-platform",
)
_DEFAULT_PAGE = 100
_MAX_PAGE = 500
_SUB_UNITS = {"teacher": "/Teachers", "student": "/Students", "admin": ""}


def org_unit_path(school_key: str, role: str = "admin") -> str:
    """The sandbox OU of a school's people: ``/Schools/<key>`` (admins), plus
    ``/Teachers`` or ``/Students``."""
    return f"/Schools/{school_key}{_SUB_UNITS.get(role, '')}"


def _max_results(call: Call) -> int:
    raw = call.request.param("maxResults")
    try:
        size = int(raw) if raw else _DEFAULT_PAGE
    except ValueError:
        raise invalid_argument("Invalid value for maxResults") from None
    if not 1 <= size <= _MAX_PAGE:
        raise invalid_argument("Invalid value for maxResults")
    return size


class _Users:
    """``directory.users.list`` over one app's store (OUs and customers from the seed)."""

    def __init__(self, city: City, customers: Mapping[str, str]) -> None:
        self._schools = {p.key: p.school_key for p in city.people if p.school_key}
        self._customers = dict(customers)

    def _tenant(self, call: Call) -> str:
        customer = call.request.param("customer")
        domain = call.request.param("domain")
        if not customer and not domain:
            raise invalid_argument("Bad Request")
        own = call.principal.tenant
        if customer and customer not in ("my_customer", self._customers.get(own)):
            raise permission_denied()
        if domain and domain.lower() != own:
            raise permission_denied()
        if not call.is_admin(own):
            raise permission_denied()
        return own

    def _json(self, user: User, customer: str) -> dict[str, Any]:
        school = self._schools.get(user.key)
        return {
            "kind": "admin#directory#user",
            "id": user.id,
            "primaryEmail": user.email,
            "name": {
                "givenName": user.given_name,
                "familyName": user.family_name,
                "fullName": user.full_name,
            },
            "isAdmin": user.role == "admin",
            "customerId": customer,
            "orgUnitPath": org_unit_path(school, user.role) if school else "/",
        }

    def list(self, call: Call) -> dict[str, Any]:
        tenant = self._tenant(call)
        users = [u for u in call.store.users.values() if u.tenant == tenant]
        page, token = call.env.pager.page(
            users,
            lambda u: (u.email.lower(),),
            call.request,
            call.principal,
            cap=_max_results(call),
        )
        customer = self._customers.get(tenant, "")
        payload = listing("users", [self._json(u, customer) for u in page], token)
        return {"kind": "admin#directory#users", **payload}


def routes(city: City, customers: Mapping[str, str]) -> list[Route]:
    """The Directory routes of an app serving ``city`` (``customers``: tenant → id)."""
    users = _Users(city, customers)
    return [Route("directory.users.list", "GET", "admin/directory/v1/users", _SCOPES, users.list)]
