"""How people are named in student-level outputs: pseudonyms by default, names on request.

Pupils (and guardians) are personal data under the GDPR; a view that lists them shows a
stable keyed-hash pseudonym (:class:`~unified_edu.reports._pseudonym.Pseudonymizer`)
unless the caller asks for real names. Teachers are shown by name: they act in their
professional role and the outputs are theirs to use.

This module must not import any platform client.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from unified_edu.config import CityConfig
from unified_edu.models import Person, Role
from unified_edu.reports._pseudonym import Pseudonymizer

__all__ = ["DEFAULT_KEY_FILE", "Labeler", "pseudonymizer_for"]

#: Where the pseudonym key lives when the tenants file names none.
DEFAULT_KEY_FILE = Path("~/.config/unified-edu/pseudonym.key")


def pseudonymizer_for(city: CityConfig) -> Pseudonymizer:
    """The city's pseudonymizer: ``UNIFIED_EDU_PSEUDONYM_KEY``, else the city's
    ``pseudonym_key_file``, else ``~/.config/unified-edu/pseudonym.key`` (created 0600).
    """
    path = city.pseudonym_key_file or DEFAULT_KEY_FILE.expanduser()
    return Pseudonymizer.from_environment_or_file(path)


@attrs.frozen
class Labeler:
    """Names people in an output: real names, or pseudonyms for everyone but teachers.

    Attributes:
        pseudonymizer: ``None`` shows real names and e-mail addresses.
    """

    pseudonymizer: Pseudonymizer | None = None

    @classmethod
    def for_city(cls, city: CityConfig, *, names: bool) -> Labeler:
        """Real names when ``names``, else the city's pseudonyms."""
        return cls(None if names else pseudonymizer_for(city))

    @property
    def pseudonymous(self) -> bool:
        """True when pupils are shown by pseudonym."""
        return self.pseudonymizer is not None

    def hides(self, role: Role | None) -> bool:
        """True when a person of ``role`` is shown by pseudonym (all but teachers)."""
        return self.pseudonymizer is not None and role is not Role.TEACHER

    def alias(self, tenant: str, person_id: str, email: str | None = None) -> str:
        """The pseudonym of a person: keyed by e-mail (the same on every platform), else
        by tenant and native id.
        """
        if self.pseudonymizer is None:
            raise ValueError("this labeler shows real names")
        return self.pseudonymizer.alias(email or f"{tenant}:{person_id}")

    def name(
        self,
        person: Person | None,
        *,
        tenant: str,
        person_id: str,
        role: Role | None = None,
    ) -> str:
        """The name to show: a pseudonym unless names are shown or the person teaches."""
        role = role or (person.role if person else None)
        if self.hides(role):
            return self.alias(tenant, person_id, person.email if person else None)
        if person is not None and person.name:
            return person.name
        return person_id

    def email(self, person: Person | None, *, role: Role | None = None) -> str | None:
        """The e-mail address to show: ``None`` for a pseudonymised person."""
        if person is None or self.hides(role or person.role):
            return None
        return person.email
