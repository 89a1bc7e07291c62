"""Credentials for Classroom, and whom each call runs as.

Three kinds of credentials, each an :class:`Auth`:

- **Service account with domain-wide delegation** (:func:`service_account_auth`): the
  provider impersonates a user per call (``with_subject``, one cached credential per
  user), as reference §3.6 tabulates:

  ==========================================================  ==========================
  call                                                        impersonated user
  ==========================================================  ==========================
  courses (list, get, create, patch, delete), rosters          the domain admin
  (list, add, remove), userProfiles, guardians and guardian
  invitations (``studentId="-"`` needs an admin), topics,
  reading coursework, submissions and rubrics
  courseWork create/patch/delete, submissions patch and        a teacher of the course
  ``:return``                                                  (its owner): admins who do
                                                               not teach get 403
  ==========================================================  ==========================

- **Installed-app OAuth user credentials** (:func:`authorized_user_auth`): a teacher's
  own notebook. The token is cached in a file created with 0600 permissions; the browser
  flow (``google_auth_oauthlib.flow.InstalledAppFlow``) runs only when no valid cached
  token covers the scopes. Every call runs as that teacher.
- **A static bearer token** (:func:`token_auth`): tests and short scripts; it cannot be
  refreshed, so a 401 becomes :class:`~unified_edu.errors.AuthenticationError`.

Minimal OAuth scopes per operation (``https://www.googleapis.com/auth/`` omitted; from
the discovery document's per-method ``scopes``):

=========================================  ================================================
operation                                  scope
=========================================  ================================================
list/get classes                           ``classroom.courses.readonly``
create/update/archive/delete classes       ``classroom.courses``
people, enrollments (read)                 ``classroom.rosters.readonly`` +
                                           ``classroom.profile.emails`` (for e-mails)
add/remove enrollments, invite to class    ``classroom.rosters``
categories (topics) read / create          ``classroom.topics.readonly`` / ``classroom.topics``
assignments, submissions, rubrics (read)   ``classroom.coursework.students.readonly``
create/update/publish/delete assignments,  ``classroom.coursework.students``
set_grade, return_submission
guardians (read) / invite_guardian         ``classroom.guardianlinks.students.readonly`` /
                                           ``classroom.guardianlinks.students``
teacher lookup before coursework writes    ``classroom.courses.readonly`` +
(delegation only)                          ``classroom.rosters.readonly`` +
                                           ``classroom.profile.emails``
schools by OU (``org_units`` only)        ``admin.directory.user.readonly``
=========================================  ================================================

Tokens are never logged. Only :mod:`unified_edu.providers.google` imports this module.
"""

from __future__ import annotations

import abc
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httplib2
from google.auth.credentials import Credentials as BaseCredentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account
from google_auth_httplib2 import Request as HttplibRequest

from unified_edu.errors import ConfigurationError
from unified_edu.providers._capabilities import Capability

__all__ = [
    "CAPABILITY_SCOPES",
    "READ_ONLY_SCOPES",
    "SCOPES",
    "Auth",
    "DelegatedAuth",
    "FixedAuth",
    "authorized_user_auth",
    "scope",
    "service_account_auth",
    "token_auth",
    "write_private",
]

log = logging.getLogger("unified_edu.google.auth")

_PREFIX = "https://www.googleapis.com/auth/"


def scope(name: str) -> str:
    """The full scope URL of ``classroom.courses`` (a full URL is returned unchanged)."""
    return name if name.startswith("https://") else _PREFIX + name


#: Everything the provider can do (read and write).
SCOPES: tuple[str, ...] = tuple(
    scope(s)
    for s in (
        "classroom.courses",
        "classroom.rosters",
        "classroom.profile.emails",
        "classroom.coursework.students",
        "classroom.topics",
        "classroom.guardianlinks.students",
    )
)

#: Reading only.
READ_ONLY_SCOPES: tuple[str, ...] = tuple(
    scope(s)
    for s in (
        "classroom.courses.readonly",
        "classroom.rosters.readonly",
        "classroom.profile.emails",
        "classroom.coursework.students.readonly",
        "classroom.topics.readonly",
        "classroom.guardianlinks.students.readonly",
    )
)


def _any(*names: str) -> frozenset[str]:
    return frozenset(scope(n) for n in names)


#: For each capability: the token needs at least one of these scopes.
CAPABILITY_SCOPES: Mapping[Capability, frozenset[str]] = {
    Capability.READ_CLASSES: _any("classroom.courses", "classroom.courses.readonly"),
    Capability.READ_PEOPLE: _any("classroom.rosters", "classroom.rosters.readonly"),
    Capability.READ_ENROLLMENTS: _any("classroom.rosters", "classroom.rosters.readonly"),
    Capability.READ_GUARDIANS: _any(
        "classroom.guardianlinks.students", "classroom.guardianlinks.students.readonly"
    ),
    Capability.READ_CATEGORIES: _any("classroom.topics", "classroom.topics.readonly"),
    Capability.READ_ASSIGNMENTS: _any(
        "classroom.coursework.students", "classroom.coursework.students.readonly"
    ),
    Capability.READ_SUBMISSIONS: _any(
        "classroom.coursework.students",
        "classroom.coursework.students.readonly",
        "classroom.student-submissions.students.readonly",
    ),
    Capability.READ_RUBRICS: _any(
        "classroom.coursework.students", "classroom.coursework.students.readonly"
    ),
    Capability.WRITE_CLASSES: _any("classroom.courses"),
    Capability.WRITE_ENROLLMENTS: _any("classroom.rosters"),
    Capability.WRITE_CATEGORIES: _any("classroom.topics"),
    Capability.WRITE_ASSIGNMENTS: _any("classroom.coursework.students"),
    Capability.PUBLISH_ASSIGNMENTS: _any("classroom.coursework.students"),
    Capability.GRADE: _any("classroom.coursework.students"),
    Capability.RETURN: _any("classroom.coursework.students"),
    Capability.INVITE_GUARDIANS: _any("classroom.guardianlinks.students"),
}


class Auth(abc.ABC):
    """Credentials, and whom a call runs as.

    Attributes:
        delegated: True when the provider may pick the user per call (domain-wide
            delegation); False when every call runs as one user.
        admin: The admin impersonated for rosters and courses (delegation only).
        scopes: The granted scopes, or ``None`` when unknown (a bare token).
        project: A key for the developer project's quota (shared by every tenant that
            uses the same project).
    """

    delegated: bool = False
    admin: str | None = None
    scopes: frozenset[str] | None = None
    project: str = "default"

    @abc.abstractmethod
    def credentials(self, subject: str | None) -> BaseCredentials:
        """The credentials of a call made as ``subject`` (``None``: the default user)."""

    def subject(self, wanted: str | None) -> str:
        """The user a call for ``wanted`` actually runs as (a quota key)."""
        if self.delegated:
            return wanted or self.admin or "default"
        return "self"


class DelegatedAuth(Auth):
    """A service account impersonating users (domain-wide delegation).

    Args:
        base: The service account's credentials, already scoped.
        admin: The domain admin's e-mail (the default subject).
        project: The Cloud project id (quota key).
    """

    delegated = True

    def __init__(self, base: service_account.Credentials, *, admin: str, project: str) -> None:
        if not admin or "@" not in admin:
            raise ConfigurationError(
                "domain-wide delegation needs the admin's e-mail address", field="admin"
            )
        self._base = base
        self.admin = admin
        self.project = project
        self.scopes = frozenset(base.scopes or ())
        self._lock = threading.Lock()
        self._by_subject: dict[str, BaseCredentials] = {}

    def credentials(self, subject: str | None) -> BaseCredentials:
        """A cached ``with_subject`` copy per impersonated user."""
        who = subject or self.admin
        assert who is not None
        with self._lock:
            found = self._by_subject.get(who)
            if found is None:
                found = self._base.with_subject(who)  # type: ignore[no-untyped-call]
                self._by_subject[who] = found
            return found


class FixedAuth(Auth):
    """One credential for every call (user OAuth or a static token).

    Args:
        credentials: The credential.
        scopes: The granted scopes, if known.
        project: Quota key.
    """

    def __init__(
        self,
        credentials: BaseCredentials,
        *,
        scopes: Iterable[str] | None = None,
        project: str = "default",
    ) -> None:
        self._credentials = credentials
        self.scopes = frozenset(scopes) if scopes is not None else None
        self.project = project

    def credentials(self, subject: str | None) -> BaseCredentials:
        """The one credential (``subject`` is ignored: no impersonation)."""
        return self._credentials


def service_account_auth(
    info: Mapping[str, Any], *, admin: str, scopes: Sequence[str] = SCOPES
) -> DelegatedAuth:
    """Domain-wide delegation from a service-account key (the JSON Google issues).

    Args:
        info: The parsed key file (``type: service_account``, ``private_key``,
            ``client_email``, ``token_uri``...).
        admin: The domain admin to impersonate for rosters, courses and guardians.
        scopes: The scopes authorised for the client id in the Admin console.

    Raises:
        ConfigurationError: For a malformed key or a missing admin.
    """
    try:
        base = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            dict(info), scopes=[scope(s) for s in scopes]
        )
    except (ValueError, KeyError) as exc:
        raise ConfigurationError(f"not a usable service-account key: {exc}") from None
    return DelegatedAuth(base, admin=admin, project=str(info.get("project_id") or "default"))


def token_auth(token: str, *, scopes: Iterable[str] | None = None) -> FixedAuth:
    """A static bearer token (no refresh; a 401 is an ``AuthenticationError``)."""
    if not token:
        raise ConfigurationError("the bearer token is empty", field="token")
    return FixedAuth(
        user_credentials.Credentials(token=token),  # type: ignore[no-untyped-call]
        scopes=[scope(s) for s in scopes] if scopes is not None else None,
        project="token",
    )


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)  # mkstemp already uses 0600; say so explicitly.
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _load_cached(path: Path, wanted: Sequence[str]) -> user_credentials.Credentials | None:
    if not path.exists():
        return None
    if path.stat().st_mode & 0o077:
        log.warning("token cache %s was readable by others; restricting it to 0600", path)
        path.chmod(0o600)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        creds: user_credentials.Credentials = (
            user_credentials.Credentials.from_authorized_user_info(info)  # type: ignore[no-untyped-call]
        )
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable token cache %s (%s)", path, type(exc).__name__)
        return None
    if not set(wanted) <= set(creds.scopes or ()):
        return None  # Asked for more than was granted: ask again.
    return creds


def authorized_user_auth(
    path: str | os.PathLike[str],
    *,
    scopes: Sequence[str] = SCOPES,
    client_secrets_file: str | os.PathLike[str] | None = None,
    flow: Callable[[Sequence[str]], user_credentials.Credentials] | None = None,
    http: httplib2.Http | None = None,
) -> FixedAuth:
    """A teacher's own OAuth credentials, cached in ``path`` (0600).

    Uses the cached token when it is valid and covers ``scopes``; refreshes it when it
    has expired (and saves it again); otherwise runs the installed-app flow and saves the
    result.

    Args:
        path: The token cache file (an ``authorized_user`` JSON).
        scopes: The scopes to hold.
        client_secrets_file: The OAuth client (``Desktop app``) JSON for the browser flow.
        flow: Runs the consent flow for the scopes and returns credentials (default:
            ``InstalledAppFlow.from_client_secrets_file(...).run_local_server(port=0)``).
        http: The HTTP object used to refresh an expired token.

    Raises:
        ConfigurationError: When a flow is needed but no client secrets file is given.
    """
    cache = Path(path)
    wanted = [scope(s) for s in scopes]
    creds = _load_cached(cache, wanted)
    if creds is not None and not creds.valid and creds.refresh_token:
        try:
            creds.refresh(HttplibRequest(http or httplib2.Http(timeout=60)))  # type: ignore[no-untyped-call]
        except Exception as exc:  # Any refresh failure means "ask again".
            log.info("cached token could not be refreshed (%s)", type(exc).__name__)
            creds = None
        else:
            write_private(cache, creds.to_json())  # type: ignore[no-untyped-call]
    if creds is None or not creds.valid:
        if flow is None:
            flow = _browser_flow(client_secrets_file)
        creds = flow(wanted)
        write_private(cache, creds.to_json())  # type: ignore[no-untyped-call]
    return FixedAuth(creds, scopes=creds.scopes or wanted, project=creds.client_id or "default")


def _browser_flow(
    client_secrets_file: str | os.PathLike[str] | None,
) -> Callable[[Sequence[str]], user_credentials.Credentials]:
    if client_secrets_file is None:
        raise ConfigurationError(
            "no valid cached token: pass client_secrets_file (an OAuth 'Desktop app' "
            "client JSON) to run the browser consent flow once",
            field="client_secrets_file",
        )

    def run(wanted: Sequence[str]) -> user_credentials.Credentials:
        from google_auth_oauthlib.flow import InstalledAppFlow

        app_flow = InstalledAppFlow.from_client_secrets_file(str(client_secrets_file), wanted)
        creds: user_credentials.Credentials = app_flow.run_local_server(port=0)
        return creds

    return run
