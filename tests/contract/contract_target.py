"""What the contract suite reads and writes: one class per backend, chosen in the city.

The seeded city (``unified_edu.sandbox._city.City``) is platform-neutral, so it is both
where the test data is chosen and the oracle the answers are checked against. The native
ids are then found through the providers' own listings (schools by name, classes by
name, people by e-mail), never by asking the emulators.

The class is the first one (in city order) that is active, has students, a draft, a
categorised piece of homework and graded work turned in but not yet graded; on
Microsoft it must also be taught by the delegated teacher the writer signs in as (a
delegated token can only write in its own classes). Google's writer impersonates the
class's teacher through domain-wide delegation, so any class of the tenant's school
fits.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from unified_edu.models import (
    GOOGLE_ASSIGNMENT_STATES,
    GOOGLE_SUBMISSION_STATES,
    MICROSOFT_ASSIGNMENT_STATES,
    MICROSOFT_SUBMISSION_STATES,
    AssignmentState,
    SubmissionState,
)
from unified_edu.providers.base import Provider
from unified_edu.sandbox._city import City, CityClass, CityHomework, CityPerson, CitySchool

__all__ = ["Target", "Traits", "choose_class", "discover", "traits_of"]


@attrs.frozen(kw_only=True)
class Traits:
    """What a backend's platform does differently, declared once per backend.

    Attributes:
        assignment_states: The platform's homework state table.
        submission_states: The platform's submission state table.
        guardian_invitations: The platform lists guardian invitations beside links
            (Classroom); Graph's relatedContacts are links only.
        deleted_assignment_tombstone: A deleted piece of homework still reads, as
            ``DELETED`` (Classroom); Graph forgets it (404).
    """

    assignment_states: Mapping[str, AssignmentState]
    submission_states: Mapping[str, SubmissionState]
    guardian_invitations: bool
    deleted_assignment_tombstone: bool


_TRAITS = {
    "google": Traits(
        assignment_states=GOOGLE_ASSIGNMENT_STATES,
        submission_states=GOOGLE_SUBMISSION_STATES,
        guardian_invitations=True,
        deleted_assignment_tombstone=True,
    ),
    "microsoft": Traits(
        assignment_states=MICROSOFT_ASSIGNMENT_STATES,
        submission_states=MICROSOFT_SUBMISSION_STATES,
        guardian_invitations=False,
        deleted_assignment_tombstone=False,
    ),
}


def traits_of(backend: str) -> Traits:
    """The declared traits of ``backend``."""
    return _TRAITS[backend]


@attrs.frozen(kw_only=True)
class Target:
    """The chosen class and its native ids.

    Attributes:
        city: The seeded city (the oracle).
        school: The class's school in the city.
        klass: The class in the city.
        school_id: The school's native id.
        class_id: The class's native id.
        class_ids: Native ids of every class of the school (for multi-class reads).
        person_ids: City person key → native id, for the class's teachers and students.
        guardian_student: The student whose guardians are read.
    """

    city: City
    school: CitySchool
    klass: CityClass
    school_id: str
    class_id: str
    class_ids: tuple[str, ...]
    person_ids: Mapping[str, str]
    guardian_student: CityPerson

    @property
    def guardian_student_id(self) -> str:
        """The native id of :attr:`guardian_student`."""
        return self.person_ids[self.guardian_student.key]

    def person(self, key: str) -> CityPerson:
        """A city person by key."""
        return next(p for p in self.city.people if p.key == key)

    def email_of(self, native_id: str) -> str:
        """The e-mail of a teacher or student of the class, by native id."""
        key = next(k for k, v in self.person_ids.items() if v == native_id)
        return self.person(key).email

    def homework(self) -> list[CityHomework]:
        """The class's homework in the city, deleted included."""
        return [h for h in self.city.homework if h.class_key == self.klass.key]


def _fits(city: City, klass: CityClass) -> bool:
    homework = [h for h in city.homework if h.class_key == klass.key]
    graded = {
        h.key for h in homework if h.state == "published" and h.max_points and h.created_by_app
    }
    waiting = any(
        w.homework_key in graded and w.state == "turned_in" and w.draft_points is None
        for w in city.work
    )
    return (
        klass.state == "active"
        and bool(klass.student_keys)
        and any(h.state == "draft" for h in homework)
        and any(h.category for h in homework if h.state != "deleted")
        and waiting
    )


def choose_class(city: City, backend: str, teacher_email: str | None) -> CityClass:
    """The class the suite uses on ``backend`` (see the module docstring).

    Args:
        teacher_email: The writer's teacher when the writer is bound to one (Microsoft's
            delegated token), else ``None``.
    """
    if teacher_email is None:
        school = city.schools_on(backend)[0]  # type: ignore[arg-type]
        candidates = [k for k in city.classes if k.school_key == school.key]
    else:
        teacher = next(p for p in city.people if p.email == teacher_email)
        candidates = [k for k in city.classes if teacher.key in k.teacher_keys]
    return next(k for k in candidates if _fits(city, k))


def _guardian_student(city: City, klass: CityClass) -> CityPerson:
    """The first student with an active guardian link, preferring one also invited."""
    states: dict[str, set[str]] = {}
    for link in city.guardians:
        states.setdefault(link.student_key, set()).add(link.state)
    ordered = sorted(
        (s for s in klass.student_keys if "active" in states.get(s, ())),
        key=lambda s: "invited" not in states[s],
    )
    return next(p for p in city.people if p.key == ordered[0])


def discover(city: City, backend: str, reader: Provider, teacher_id: str | None) -> Target:
    """Find the chosen class's native ids through ``reader``'s listings.

    Args:
        teacher_id: Native id of the writer's teacher (Microsoft's delegated token),
            looked up with ``get_person`` for its e-mail.

    Calls (through the provider): ``get_person`` (Microsoft), ``list_schools``,
    ``list_classes(school_id=...)``, ``list_people(class_ids=...)``.
    """
    email = reader.get_person(teacher_id).email if teacher_id else None
    klass = choose_class(city, backend, email)
    school = next(s for s in city.schools if s.key == klass.school_key)
    school_id = next(s.ref.id for s in reader.list_schools() if s.name == school.name)
    classes = reader.list_classes(school_id=school_id)
    class_id = next(c.ref.id for c in classes if c.name == klass.name)
    by_email = {p.email: p.ref.id for p in reader.list_people(class_ids=class_id)}
    members = (*klass.teacher_keys, *klass.student_keys)
    people = {p.key: p for p in city.people if p.key in members}
    return Target(
        city=city,
        school=school,
        klass=klass,
        school_id=school_id,
        class_id=class_id,
        class_ids=tuple(c.ref.id for c in classes),
        person_ids={key: by_email[people[key].email] for key in members},
        guardian_student=_guardian_student(city, klass),
    )
