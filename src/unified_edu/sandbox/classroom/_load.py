"""The seeded city loaded as Classroom would hold it.

Only schools on ``"google"`` are loaded; each is its own Workspace domain and tenant.
Every native id comes from :class:`IdMint` (deterministic from the seed). How neutral
city values become Classroom values:

- class state ``active``/``archived``/``provisioned`` → ``courseState``; the first
  teacher is the owner; a course gets a calendar only once it has been ``ACTIVE``;
- homework ``published`` and ``inactive`` → ``PUBLISHED`` (Classroom has no inactive
  state), ``draft`` → ``DRAFT``, ``deleted`` → ``DELETED`` (a tombstone teachers see);
- a due instant → ``dueDate`` + ``dueTime`` in UTC. A date-only due becomes ``dueDate``
  with ``dueTime`` ``{}``: the discovery doc requires ``dueTime`` whenever ``dueDate``
  is set, and ``{}`` is the proto3 JSON of an all-zero ``TimeOfDay`` (00:00 UTC), so the
  wire stays valid without inventing a time of day. Every timed city deadline is local
  (Sofia) and therefore never exactly 00:00 UTC, so ``{}`` identifies date-only dues;
- homework categories → one ``Topic`` per name and course;
- work ``excused`` → ``RETURNED`` and ``reassigned`` → ``CREATED`` (Classroom has
  neither); ``new`` submissions have no timestamps and no history (documented: "may be
  unset if the student has not accessed this item");
- guardian links ``active`` → ``Guardian``, ``invited`` → ``PENDING`` invitation,
  ``closed`` → ``COMPLETE`` invitation;
- items ``created_by_app`` belong to the sandbox's developer project; the others were
  made in the Classroom UI (``associatedWithDeveloper`` is never true for them).

This module must not import any platform client.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

from unified_edu.sandbox._city import City, CityClass, CityHomework, CityMaterial, CityWork
from unified_edu.sandbox.classroom._ids import IdMint
from unified_edu.sandbox.classroom._rubrics import seeded_criteria
from unified_edu.sandbox.classroom._store import (
    Course,
    CourseWork,
    Guardian,
    GuardianInvitation,
    Rubric,
    Store,
    Submission,
    Topic,
    User,
)

__all__ = ["TenantSeed", "due_fields", "load_city"]

_COURSE_STATES = {"active": "ACTIVE", "archived": "ARCHIVED", "provisioned": "PROVISIONED"}
_WORK_STATES = {
    "published": "PUBLISHED",
    "inactive": "PUBLISHED",
    "draft": "DRAFT",
    "deleted": "DELETED",
}
_SUBMISSION_STATES = {
    "new": "NEW",
    "in_progress": "CREATED",
    "turned_in": "TURNED_IN",
    "returned": "RETURNED",
    "reclaimed": "RECLAIMED_BY_STUDENT",
    "excused": "RETURNED",
    "reassigned": "CREATED",
}
_DRIVE_ID = re.compile(r"/d/([^/]+)")
# How many seeded rubrics each tenant gets: enough to exercise rubrics.list/get.
_RUBRICS_PER_TENANT = 3


@attrs.frozen
class TenantSeed:
    """One Google tenant as loaded: its domain, customer id, schools and admin."""

    tenant: str
    customer_id: str
    school_keys: tuple[str, ...]
    admin_email: str


def due_fields(
    due: dt.datetime | dt.date | None,
) -> tuple[dict[str, int] | None, dict[str, int] | None]:
    """``dueDate`` and ``dueTime`` (proto3 JSON: zero parts left out) for a city due."""
    if due is None:
        return None, None
    if not isinstance(due, dt.datetime):
        return {"year": due.year, "month": due.month, "day": due.day}, {}
    utc = due.astimezone(dt.UTC)
    time = {"hours": utc.hour, "minutes": utc.minute, "seconds": utc.second}
    return (
        {"year": utc.year, "month": utc.month, "day": utc.day},
        {k: v for k, v in time.items() if v},
    )


def _material(item: CityMaterial) -> dict[str, Any]:
    if item.kind == "file":
        match = _DRIVE_ID.search(urlsplit(item.url).path)
        file_id = match.group(1) if match else hashlib.sha256(item.url.encode()).hexdigest()[:28]
        return {
            "driveFile": {
                "driveFile": {"id": file_id, "title": item.title, "alternateLink": item.url},
                "shareMode": "VIEW",
            }
        }
    if item.kind == "video":
        video_id = parse_qs(urlsplit(item.url).query).get("v", [""])[0] or item.url.rsplit("/")[-1]
        return {
            "youtubeVideo": {
                "id": video_id,
                "title": item.title,
                "alternateLink": item.url,
                "thumbnailUrl": f"https://i.ytimg.com/vi/{video_id}/default.jpg",
            }
        }
    if item.kind == "form":
        return {"form": {"formUrl": item.url, "title": item.title}}
    return {"link": {"url": item.url, "title": item.title}}


class _Loader:
    def __init__(self, city: City, project: str) -> None:
        self.city = city
        self.project = project
        self.mint = IdMint(city.seed)
        self.store = Store()
        self.people = {p.key: p for p in city.people}
        self.user_ids: dict[str, str] = {}
        self.tenants: list[TenantSeed] = []

    def user(self, key: str, tenant: str) -> str | None:
        if key in self.user_ids:
            return self.user_ids[key]
        person = self.people.get(key)
        if person is None:
            return None
        uid = self.mint.user(key)
        self.store.add_user(
            User(
                id=uid,
                email=person.email,
                given_name=person.given_name,
                family_name=person.family_name,
                role=person.role,
                tenant=tenant,
                key=key,
            )
        )
        self.user_ids[key] = uid
        return uid

    def ids(self, keys: Iterable[str], tenant: str) -> list[str]:
        return [uid for key in keys if (uid := self.user(key, tenant)) is not None]

    def load(self) -> None:
        schools = self.city.schools_on("google")
        by_tenant: dict[str, list[str]] = {}
        for school in schools:
            by_tenant.setdefault(school.tenant, []).append(school.key)
        school_tenant = {s.key: s.tenant for s in schools}
        for tenant, keys in by_tenant.items():
            self.tenants.append(self._tenant(tenant, keys))
        for person in self.city.people:
            if person.school_key in school_tenant:
                self.user(person.key, school_tenant[person.school_key])
        homework_by_class: dict[str, list[CityHomework]] = {}
        for piece in self.city.homework:
            homework_by_class.setdefault(piece.class_key, []).append(piece)
        work_ids: dict[str, CourseWork] = {}
        for city_class in self.city.classes:
            class_tenant = school_tenant.get(city_class.school_key)
            if class_tenant is None:
                continue
            course = self._course(city_class, class_tenant)
            for piece in sorted(
                homework_by_class.get(city_class.key, []), key=lambda h: h.created_at
            ):
                work_ids[piece.key] = self._course_work(piece, course, class_tenant)
        for item in self.city.work:
            work = work_ids.get(item.homework_key)
            if work is not None:
                self._submission(item, work)
        for seed in self.tenants:
            self._rubrics(seed.tenant)
        self._guardians(school_tenant)

    def _tenant(self, tenant: str, school_keys: list[str]) -> TenantSeed:
        admin = next(
            (p for p in self.city.people if p.role == "admin" and p.school_key in school_keys),
            None,
        )
        admin_id = self.user(admin.key, tenant) if admin is not None else None
        if admin is not None and admin_id is not None:
            admin_email = admin.email
        else:  # A hand-made city without an admin still gets one to hold the tokens.
            admin_email = f"admin@{tenant}"
            admin_id = self.mint.user(f"{tenant}-admin")
            self.store.add_user(
                User(
                    id=admin_id,
                    email=admin_email,
                    given_name="Администратор",
                    family_name="",
                    role="admin",
                    tenant=tenant,
                )
            )
        self.store.admins[tenant] = admin_id
        customer = "C0" + self.mint.opaque("customer", tenant, 7)
        return TenantSeed(tenant, customer, tuple(school_keys), admin_email)

    def _course(self, city_class: CityClass, tenant: str) -> Course:
        cid = self.mint.numeric("course", city_class.key)
        teachers = self.ids(city_class.teacher_keys, tenant)
        state = _COURSE_STATES.get(city_class.state, "ACTIVE")
        group = self.mint.opaque("group", city_class.key, 6)
        calendar = ""
        if state in ("ACTIVE", "ARCHIVED"):
            calendar = f"classroom{self.mint.numeric('calendar', city_class.key, 20)}"
            calendar += "@group.calendar.google.com"
        course = Course(
            id=cid,
            tenant=tenant,
            name=city_class.name,
            owner_id=teachers[0] if teachers else self.store.admins[tenant],
            state=state,
            creation_time=city_class.created_at,
            update_time=city_class.created_at,
            enrollment_code=self.mint.enrollment_code(city_class.key),
            section=city_class.section,
            description=city_class.description,
            subject=city_class.subject,
            teacher_group_email=f"class_{cid}_teachers_{group}@{tenant}",
            course_group_email=f"class_{cid}_{group}@{tenant}",
            calendar_id=calendar,
            teacher_folder_id="0B" + self.mint.token("folder", city_class.key, 26),
            guardians_enabled=True,
            teacher_ids=teachers,
            student_ids=self.ids(city_class.student_keys, tenant),
        )
        return self.store.add_course(course)

    def _topic(self, course: Course, name: str, piece: CityHomework) -> str:
        for topic in self.store.topics_of(course.id):
            if topic.name == name:
                return topic.id
        topic = Topic(
            id=self.mint.numeric("topic", f"{course.id}:{name}"),
            course_id=course.id,
            name=name,
            update_time=piece.created_at,
            project=self.project if piece.created_by_app else "",
        )
        return self.store.add_topic(topic).id

    def _course_work(self, piece: CityHomework, course: Course, tenant: str) -> CourseWork:
        due_date, due_time = due_fields(piece.due)
        creator = self.user(piece.creator_key, tenant) if piece.creator_key else None
        students = self.ids(piece.student_keys, tenant)
        updated = max(piece.created_at, piece.published_at or piece.created_at)
        work = CourseWork(
            id=self.mint.numeric("coursework", piece.key),
            course_id=course.id,
            title=piece.title,
            state=_WORK_STATES[piece.state],
            creator_id=creator or course.owner_id,
            creation_time=piece.created_at,
            update_time=updated,
            project=self.project if piece.created_by_app else "",
            description=piece.description,
            materials=[_material(m) for m in piece.materials],
            due_date=due_date,
            due_time=due_time,
            max_points=piece.max_points or None,
            assignee_mode="INDIVIDUAL_STUDENTS" if students else "ALL_STUDENTS",
            student_ids=students,
            topic_id=self._topic(course, piece.category, piece) if piece.category else "",
        )
        return self.store.add_course_work(work)

    def _submission(self, item: CityWork, work: CourseWork) -> None:
        course = self.store.courses[work.course_id]
        uid = self.user(item.student_key, course.tenant)
        if uid is None:
            return
        state = _SUBMISSION_STATES[item.state]
        sub = Submission(
            id=self.mint.submission(uid, work.id),
            course_id=work.course_id,
            course_work_id=work.id,
            user_id=uid,
            state=state,
            late=item.late,
            draft_grade=item.draft_points,
            assigned_grade=item.released_points,
        )
        if state != "NEW":
            moments = [
                t
                for t in (item.updated_at, item.turned_in_at, item.returned_at, item.excused_at)
                if t
            ]
            sub.creation_time = min(moments)
            sub.update_time = max(moments)
            # History is rendered from the city record on demand (see _history.py).
            sub.origin = item
            sub.origin_actor = course.owner_id
        self.store.add_submission(sub)

    def _rubrics(self, tenant: str) -> None:
        candidates = [
            w
            for w in self.store.course_work.values()
            if w.state == "PUBLISHED"
            and w.max_points
            and w.project
            and self.store.courses[w.course_id].tenant == tenant
        ]
        candidates.sort(key=lambda w: hashlib.sha256(f"{self.city.seed}:{w.id}".encode()).digest())
        for work in candidates[:_RUBRICS_PER_TENANT]:
            assert work.max_points is not None
            rid = self.mint.token("rubric", work.id, 16)
            self.store.add_rubric(
                Rubric(
                    id=rid,
                    course_id=work.course_id,
                    course_work_id=work.id,
                    criteria=seeded_criteria(self.mint, rid, work.max_points),
                    creation_time=work.creation_time,
                    update_time=work.creation_time,
                )
            )

    def _guardians(self, school_tenant: dict[str, str]) -> None:
        for link in self.city.guardians:
            student = self.people.get(link.student_key)
            guardian = self.people.get(link.guardian_key)
            if student is None or guardian is None or student.school_key not in school_tenant:
                continue
            student_id = self.user_ids.get(link.student_key)
            if student_id is None:
                continue
            if link.state == "active":
                guardian_id = self.user(link.guardian_key, "")
                assert guardian_id is not None
                self.store.add_guardian(Guardian(student_id, guardian_id, guardian.email))
            else:
                self.store.add_guardian_invitation(
                    GuardianInvitation(
                        id=self.mint.token("guardian-invitation", link.key, 14),
                        student_id=student_id,
                        invited_email=guardian.email,
                        state="PENDING" if link.state == "invited" else "COMPLETE",
                        creation_time=link.created_at,
                    )
                )


def load_city(city: City, *, project: str) -> tuple[Store, IdMint, list[TenantSeed]]:
    """Load ``city``'s Google schools; returns the store, the id mint and the tenants."""
    loader = _Loader(city, project)
    loader.load()
    return loader.store, loader.mint, loader.tenants
