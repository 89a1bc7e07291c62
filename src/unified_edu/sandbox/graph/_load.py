"""Loading a seeded :class:`City` into the Graph store: the roster.

Owns the mapping from the neutral city to ``educationSchool``, ``educationUser`` and
``educationClass`` objects of the city's single Microsoft tenant (only schools whose
platform is ``"microsoft"``), and their links. Assignment-service data is loaded by
:mod:`._load_work`. Every id is a GUID derived from the seed and the neutral key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any

from unified_edu.sandbox._city import City, CityClass, CityPerson, CitySchool
from unified_edu.sandbox.graph._ids import date_str, guid
from unified_edu.sandbox.graph._load_work import load_work
from unified_edu.sandbox.graph._store import Store

__all__ = ["load_city", "tenant_guid"]

Json = dict[str, Any]

_ROLES = frozenset({"teacher", "student"})
_STREETS = ("ул. „Шипка“", "бул. „Витоша“", "ул. „Раковски“", "ул. „Граф Игнатиев“")


def tenant_guid(city: City) -> str:
    """The tenant id (``tid``) of the city's Microsoft tenant."""
    return guid(city.seed, "tenant", city.microsoft_tenant)


def _number(*parts: object, digits: int) -> str:
    """A stable decimal number (student numbers, phones) from ``parts``."""
    value = int(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest(), 16)
    return str(value % 10**digits).zfill(digits)


def load_city(city: City, clock: Callable[[], dt.datetime]) -> Store:
    """Build the tenant's store from ``city``."""
    store = Store(
        seed=city.seed,
        tenant=city.microsoft_tenant,
        tenant_id=tenant_guid(city),
        clock=clock,
        time_zone=city.time_zone,
    )
    schools = city.schools_on("microsoft")
    school_keys = {s.key for s in schools}
    classes = [c for c in city.classes if c.school_key in school_keys]
    people = {p.key: p for p in city.people}
    wanted = {p.key for p in city.people if p.school_key in school_keys and p.role in _ROLES}
    for klass in classes:
        wanted.update(klass.teacher_keys, klass.student_keys)
    user_ids = {key: guid(city.seed, "user", key) for key in sorted(wanted) if key in people}
    contacts = _related_contacts(city, people)
    for person in city.people:  # city order keeps listings stable and natural
        if person.key in user_ids:
            store.users.put(
                _user(city, person, user_ids[person.key], contacts.get(person.key, [])),
                store.next_seq(),
            )
            store.upn_index[person.email.lower()] = user_ids[person.key]
    for school in schools:
        school_id = guid(city.seed, "school", school.key)
        store.schools.put(_school(city, school, school_id, people, classes), store.next_seq())
        store.school_users[school_id] = [
            user_ids[p.key] for p in city.people if p.school_key == school.key and p.key in user_ids
        ]
        store.school_classes[school_id] = []
    class_ids: dict[str, str] = {}
    for klass in classes:
        class_id = guid(city.seed, "class", klass.key)
        class_ids[klass.key] = class_id
        owner = user_ids.get(klass.teacher_keys[0]) if klass.teacher_keys else None
        store.add_class(_class(city, klass, class_id, owner))
        state = store.class_states[class_id]
        teachers = [user_ids[k] for k in klass.teacher_keys if k in user_ids]
        students = [user_ids[k] for k in klass.student_keys if k in user_ids]
        # Teachers sit in both collections: Office needs them among the members too
        # (reference §1.1, "teachers must be in both collections").
        state.teachers = teachers
        state.members = students + [t for t in teachers if t not in students]
        store.school_classes[guid(city.seed, "school", klass.school_key)].append(class_id)
    load_work(city, store, class_ids=class_ids, user_ids=user_ids)
    return store


def _related_contacts(city: City, people: dict[str, CityPerson]) -> dict[str, list[Json]]:
    """``relatedContacts`` per student key from the city's *active* guardian links
    (Graph has no invitations: a contact is either there or not)."""
    out: dict[str, list[Json]] = {}
    for link in city.guardians:
        guardian = people.get(link.guardian_key)
        if link.state != "active" or guardian is None:
            continue
        out.setdefault(link.student_key, []).append(
            {
                "displayName": guardian.full_name,
                "emailAddress": guardian.email,
                "mobilePhone": "+359 88 " + _number(city.seed, "phone", guardian.key, digits=7),
                "relationship": link.relationship,
                "accessConsent": True,
            }
        )
    return out


def _user(city: City, person: CityPerson, user_id: str, contacts: list[Json]) -> Json:
    is_student = person.role == "student"
    student: Json | None = None
    if is_student:
        grade = person.grade or 1
        year = city.school_year_start.year
        # Bulgarian pupils start grade 1 in the year they turn 7.
        born = dt.date(year - 6 - grade, 1, 1) + dt.timedelta(
            days=int(_number(city.seed, "birth", person.key, digits=6)) % 365
        )
        student = {
            "birthDate": date_str(born),
            "externalId": person.key,
            "gender": None,
            "grade": str(grade),
            "graduationYear": str(year + 12 - grade + 1),
            "studentNumber": _number(city.seed, "student-number", person.key, digits=7),
        }
    teacher: Json | None = None
    if person.role == "teacher":
        teacher = {
            "externalId": person.key,
            "teacherNumber": _number(city.seed, "teacher-number", person.key, digits=5),
        }
    return {
        "id": user_id,
        "primaryRole": "student" if is_student else "teacher",
        "middleName": None,
        "externalSource": "sis",
        "externalSourceDetail": "SIS",
        "residenceAddress": None,
        "mailingAddress": None,
        "student": student,
        "teacher": teacher,
        "createdBy": {"application": None, "device": None, "user": None},
        "relatedContacts": contacts,
        "accountEnabled": True,
        "businessPhones": [],
        "department": None,
        "displayName": person.full_name,
        "givenName": person.given_name,
        "mail": person.email,
        "mailNickname": person.email.split("@", 1)[0],
        "mobilePhone": None,
        "officeLocation": None,
        "preferredLanguage": "bg-BG",
        "surname": person.family_name,
        "usageLocation": "BG",
        "userPrincipalName": person.email,
        "userType": "Member",
    }


def _school(
    city: City,
    school: CitySchool,
    school_id: str,
    people: dict[str, CityPerson],
    classes: list[CityClass],
) -> Json:
    principal = next(
        (p for p in city.people if p.school_key == school.key and p.role == "admin"),
        next((p for p in city.people if p.school_key == school.key and p.role == "teacher"), None),
    )
    grades = sorted(
        {
            people[k].grade or 0
            for c in classes
            if c.school_key == school.key
            for k in c.student_keys
        }
        - {0}
    )
    street = _STREETS[int(_number(city.seed, "street", school.key, digits=2)) % len(_STREETS)]
    return {
        "id": school_id,
        "displayName": school.name,
        "description": school.name,
        "externalSource": "sis",
        "externalSourceDetail": "SIS",
        "principalEmail": principal.email if principal else None,
        "principalName": principal.full_name if principal else None,
        "externalPrincipalId": principal.key if principal else None,
        "lowestGrade": str(grades[0]) if grades else None,
        "highestGrade": str(grades[-1]) if grades else None,
        "schoolNumber": school.external_id,
        "externalId": school.external_id,
        "phone": "+359 2 " + _number(city.seed, "school-phone", school.key, digits=7),
        "fax": None,
        "createdBy": {"application": None, "device": None, "user": None},
        "address": {
            "city": None,
            "countryOrRegion": "BG",
            "postalCode": _number(city.seed, "postal", school.key, digits=4),
            "state": None,
            "street": f"{street} {int(_number(city.seed, 'no', school.key, digits=2)) + 1}",
        },
    }


def _class(city: City, klass: CityClass, class_id: str, owner: str | None) -> Json:
    year = city.school_year_start.year
    grade = re.match(r"\d+", klass.section)
    ascii_key = re.sub(r"[^A-Za-z0-9]", "", klass.key)
    return {
        "id": class_id,
        "displayName": klass.name,
        "mailNickname": f"{ascii_key}{_number(city.seed, 'nick', klass.key, digits=4)}",
        "description": klass.description,
        "createdBy": {
            "application": None,
            "device": None,
            "user": {"id": owner, "displayName": None},
        },
        "classCode": klass.key.upper(),
        "externalName": klass.name,
        "externalId": klass.key,
        "externalSource": "sis",
        "externalSourceDetail": "SIS",
        "grade": grade.group(0) if grade else None,
        "term": {
            "displayName": f"{year}/{year + 1}",
            "startDate": date_str(city.school_year_start),
            "endDate": date_str(dt.date(year + 1, 6, 30)),
            "externalId": f"{year}-{year + 1}",
        },
        "course": {
            "courseNumber": _number(city.seed, "course", klass.key, digits=4),
            "description": klass.description,
            "displayName": klass.subject,
            "externalId": klass.school_key
            + "-"
            + _number(city.seed, "subject", klass.subject, digits=4),
            "subject": klass.subject,
        },
    }
