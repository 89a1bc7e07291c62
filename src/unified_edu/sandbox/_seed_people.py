"""People of the seeded city: names, e-mail addresses and guardians.

Owns the Bulgarian-to-Latin transliteration (the official streamlined system of the
Bulgarian Transliteration Act, 2009) used for e-mail addresses, the per-domain e-mail
allocator that keeps addresses unique, and the city-wide guardian factory. Imports only
the neutral city types, the word lists and the time helpers.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from typing import Literal

from unified_edu.sandbox._city import CityGuardian, CityPerson
from unified_edu.sandbox._names import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
from unified_edu.sandbox._seed_time import sofia_to_utc

__all__ = [
    "GUARDIAN_DOMAIN",
    "EmailBook",
    "Family",
    "GuardianFactory",
    "family_form",
    "random_name",
    "transliterate",
]

GUARDIAN_DOMAIN = "mail.example"

_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip
# The Act's one contextual rule: "ия" at the end of a word is "ia" (Мария → Maria).
_FINAL_IA = re.compile(r"(?<=[иИ])([яЯ])\b")
_NOT_LOCAL = re.compile(r"[^a-z0-9.]+")


@functools.lru_cache(maxsize=1024)  # names come from short lists: each is done once
def transliterate(text: str) -> str:
    """Bulgarian Cyrillic in the official streamlined Latin spelling (case kept)."""
    text = _FINAL_IA.sub(lambda m: "a" if m.group(1) == "я" else "A", text)
    out: list[str] = []
    for char in text:
        latin = _LATIN.get(char.lower())
        if latin is None:
            out.append(char)
        elif char.isupper():
            out.append(latin.capitalize())
        else:
            out.append(latin)
    return "".join(out)


def family_form(male_form: str, *, female: bool) -> str:
    """The gendered family name: Иванов/Иванова, Раковски/Раковска."""
    if not female:
        return male_form
    if male_form.endswith("ски"):
        return male_form[:-1] + "а"
    return male_form + "а"


def random_name(rng: random.Random, *, female: bool, root: str | None = None) -> tuple[str, str]:
    """A synthetic (given name, family name) pair; ``root`` is the male family form."""
    given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    return given, family_form(root or rng.choice(FAMILY_NAMES), female=female)


class EmailBook:
    """Hands out e-mail addresses, unique per domain, as ``given.family[N]@domain``."""

    def __init__(self) -> None:
        self._taken: dict[tuple[str, str], int] = {}

    def allocate(self, given: str, family: str, domain: str, *, local: str | None = None) -> str:
        """A fresh address; a clash gets the next number (``ivan.petrov2``).

        Bases never contain digits, so a numbered address cannot clash with a base.
        """
        latin = f"{transliterate(given)}.{transliterate(family)}".lower()
        base = local or _NOT_LOCAL.sub("", latin)
        seen = self._taken.get((domain, base), 0) + 1
        self._taken[(domain, base)] = seen
        return f"{base}@{domain}" if seen == 1 else f"{base}{seen}@{domain}"


_Relationship = Literal["parent", "guardian", "relative"]
_LinkState = Literal["active", "invited", "closed"]


class Family:
    """A household: its family-name root and its guardians (shared by siblings)."""

    __slots__ = ("guardians", "root")

    def __init__(self, root: str, guardians: tuple[tuple[str, _Relationship], ...]) -> None:
        self.root = root
        #: (guardian key, relationship) pairs.
        self.guardians = guardians


class GuardianFactory:
    """Creates guardians and guardian links with city-wide sequential keys.

    Args:
        book: The shared e-mail allocator.
        year_start: First day of the school year (links are made around it).
        as_of: No link is created after this instant.
    """

    def __init__(self, book: EmailBook, *, year_start: dt.date, as_of: dt.datetime) -> None:
        self._book = book
        self._as_of = as_of
        self._linked_from = dt.datetime.combine(year_start - dt.timedelta(days=14), dt.time(9))
        self.people: list[CityPerson] = []
        self.links: list[CityGuardian] = []

    def new_family(self, rng: random.Random) -> Family:
        """A household with 0 (a few), 1 or 2 guardians."""
        root = rng.choice(FAMILY_NAMES)
        draw = rng.random()
        if draw < 0.05:
            return Family(root, ())
        if draw < 0.45:
            female = rng.random() < 0.7
            kind: _Relationship = "parent"
            kind_draw = rng.random()
            if kind_draw < 0.05:
                kind = "guardian"
            elif kind_draw < 0.10:
                kind = "relative"
            return Family(root, ((self._guardian(rng, root, female=female), kind),))
        mother = self._guardian(rng, root, female=True)
        father = self._guardian(rng, root, female=False)
        return Family(root, ((mother, "parent"), (father, "parent")))

    def _guardian(self, rng: random.Random, root: str, *, female: bool) -> str:
        key = f"g{len(self.people) + 1:05d}"
        given, family = random_name(rng, female=female, root=root)
        email = self._book.allocate(given, family, GUARDIAN_DOMAIN)
        self.people.append(
            CityPerson(
                key=key,
                school_key=None,
                role="guardian",
                given_name=given,
                family_name=family,
                email=email,
            )
        )
        return key

    def link(self, rng: random.Random, student_key: str, family: Family) -> None:
        """Link ``student_key`` to each guardian of ``family``."""
        for guardian_key, relationship in family.guardians:
            draw = rng.random()
            state: _LinkState = "active"
            # Invitations are recent; active and closed links date from the start of the year.
            days = rng.random() * 30
            if draw < 0.10:
                state = "invited"
                days += 30
            elif draw < 0.15:
                state = "closed"
            made = sofia_to_utc(self._linked_from + dt.timedelta(days=days))
            self.links.append(
                CityGuardian(
                    key=f"gl{len(self.links) + 1:05d}",
                    student_key=student_key,
                    guardian_key=guardian_key,
                    relationship=relationship,
                    state=state,
                    created_at=min(made, self._as_of),
                )
            )
