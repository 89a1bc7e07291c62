"""The seeded municipality: determinism, size, realism and the legal oddities it carries."""

from __future__ import annotations

import collections
import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from unified_edu.sandbox._city import City, CityHomework, CityPerson, CityWork
from unified_edu.sandbox._names import FEMALE_NAMES, MALE_NAMES
from unified_edu.sandbox._seed import DEFAULT_AS_OF, generate_city
from unified_edu.sandbox._seed_people import transliterate
from unified_edu.sandbox._seed_time import sofia_to_utc, utc_to_sofia

SOFIA = ZoneInfo("Europe/Sofia")
CYRILLIC = re.compile(r"^[А-Яа-яЁё]+(?:[ -][А-Яа-яЁё]+)*$")
# Two weeks into the school year: a small city (few homework) for the tests that
# generate several cities, so the module stays fast.
EARLY = dt.datetime(2026, 10, 1, 12, 0, tzinfo=SOFIA)


@pytest.fixture(scope="module")
def city() -> City:
    return generate_city()


@pytest.fixture(scope="module")
def early() -> City:
    return generate_city(as_of=EARLY)


def _people(city: City, role: str) -> list[CityPerson]:
    return [p for p in city.people if p.role == role]


def _platform_of_homework(city: City) -> dict[str, str]:
    school = {s.key: s.platform for s in city.schools}
    klass = {c.key: school[c.school_key] for c in city.classes}
    return {h.key: klass[h.class_key] for h in city.homework}


def _deadline(homework: CityHomework) -> dt.datetime | None:
    due = homework.due
    if due is None or isinstance(due, dt.datetime):
        return due
    end = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(), tzinfo=SOFIA)
    return end.astimezone(dt.UTC)


def test_same_arguments_give_an_identical_city(early: City) -> None:
    again = generate_city(2026, 1, as_of=EARLY)
    assert again == early
    assert len(again.work) > 10_000  # the comparison covers homework and work too


def test_another_seed_gives_another_city(early: City) -> None:
    other = generate_city(seed=7, as_of=EARLY)
    assert other.seed == 7
    assert [p.full_name for p in other.people[:50]] != [p.full_name for p in early.people[:50]]
    assert [h.due for h in other.homework[:50]] != [h.due for h in early.homework[:50]]


def test_scale_one_has_seven_schools_on_both_platforms(city: City) -> None:
    assert [s.key for s in city.schools] == [f"s{i}" for i in range(1, 8)]
    assert len(city.schools_on("google")) == 4
    assert len(city.schools_on("microsoft")) == 3
    assert 65 <= len(_people(city, "teacher")) <= 95
    assert 1800 <= len(_people(city, "student")) <= 2200
    admins = _people(city, "admin")
    assert [a.school_key for a in admins] == [s.key for s in city.schools]
    assert city.seed == 2026
    assert city.scale == 1
    assert city.as_of == DEFAULT_AS_OF == dt.datetime(2026, 11, 27, 13, 0, tzinfo=dt.UTC)
    assert city.as_of == dt.datetime(2026, 11, 27, 15, 0, tzinfo=SOFIA)
    assert city.school_year_start == dt.date(2026, 9, 15)
    assert city.time_zone == "Europe/Sofia"


def test_scale_two_doubles_the_city_and_keeps_the_first_schools(early: City) -> None:
    city2 = generate_city(scale=2, as_of=EARLY)
    assert len(city2.schools) == 14
    assert len(city2.schools_on("microsoft")) == 6
    assert {s.tenant for s in city2.schools_on("microsoft")} == {city2.microsoft_tenant}
    assert len({s.domain for s in city2.schools_on("google")}) == 8
    for part in ("people", "classes", "homework", "work", "guardians"):
        ratio = len(getattr(city2, part)) / len(getattr(early, part))
        assert 1.8 <= ratio <= 2.2, part
    # Each school draws from its own stream: s1..s7 are the same at every scale.
    assert city2.schools[:7] == early.schools
    assert city2.classes[: len(early.classes)] == early.classes
    assert city2.work[: len(early.work)] == early.work


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_city(scale=0)
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_city(as_of=dt.datetime(2026, 10, 1, 12, 0))


def test_each_google_school_has_its_own_domain_and_microsoft_one_tenant(city: City) -> None:
    google = city.schools_on("google")
    assert len({s.domain for s in google}) == len(google)
    assert all(s.tenant == s.domain and s.domain.endswith(".plovdiv.example") for s in google)
    microsoft = city.schools_on("microsoft")
    assert city.microsoft_tenant == "plovdiv-edu.example"
    assert {s.tenant for s in microsoft} == {city.microsoft_tenant}
    assert len({s.external_id for s in city.schools}) == 7
    assert all("„" in s.name and "“" in s.name for s in city.schools)


def test_names_are_cyrillic_with_gendered_family_names(city: City) -> None:
    for person in city.people:
        assert CYRILLIC.match(person.given_name), person
        assert CYRILLIC.match(person.family_name), person
        if person.given_name in FEMALE_NAMES:
            assert person.family_name.endswith("а"), person
        else:
            assert person.given_name in MALE_NAMES
            assert re.search(r"(ов|ев|ски)$", person.family_name), person


def test_transliteration_follows_the_official_streamlined_system() -> None:
    assert transliterate("Жечо Цонев") == "Zhecho Tsonev"
    assert transliterate("Щерю Шишков") == "Shteryu Shishkov"
    assert transliterate("Чакъров Хаджиев Янко Йоан Кольо") == "Chakarov Hadzhiev Yanko Yoan Kolyo"
    assert transliterate("Мария Юлия София") == "Maria Yulia Sofia"  # final "ия" → "ia"
    assert transliterate("Ралица") == "Ralitsa"


def test_emails_are_transliterated_and_unique_per_domain(city: City) -> None:
    emails = [p.email for p in city.people]
    assert len(set(emails)) == len(emails)
    school_domain = {s.key: s.domain for s in city.schools}
    for person in city.people:
        local, domain = person.email.split("@")
        assert re.fullmatch(r"[a-z0-9.]+", local), person.email
        if person.role == "guardian":
            assert domain == "mail.example"
            assert person.school_key is None
        else:
            assert domain == school_domain[person.school_key or ""]
        if person.role != "admin":
            expected = f"{transliterate(person.given_name)}.{transliterate(person.family_name)}"
            assert local.rstrip("0123456789") == expected.lower()


def test_students_have_one_or_two_guardians_mostly(city: City) -> None:
    students = _people(city, "student")
    per_student = collections.Counter(link.student_key for link in city.guardians)
    counts = collections.Counter(per_student.get(s.key, 0) for s in students)
    assert set(counts) == {0, 1, 2}
    assert 0.01 <= counts[0] / len(students) <= 0.10
    states = collections.Counter(link.state for link in city.guardians)
    assert states["active"] / len(city.guardians) >= 0.75
    assert states["invited"] > states["closed"] > 0
    guardians = {p.key for p in _people(city, "guardian")}
    assert {link.guardian_key for link in city.guardians} == guardians
    assert [link.key for link in city.guardians[:2]] == ["gl00001", "gl00002"]
    # Siblings share guardians.
    children = collections.Counter(link.guardian_key for link in city.guardians)
    assert max(children.values()) >= 2


def test_classes_are_subject_classes_of_sections_with_realistic_sizes(city: City) -> None:
    people = {p.key: p for p in city.people}
    section_classes = [c for c in city.classes if re.fullmatch(r"\d{1,2}[А-Г]", c.section)]
    for klass in city.classes:
        assert 1 <= len(klass.teacher_keys) <= 2
        for key in (*klass.teacher_keys, *klass.student_keys):
            assert people[key].school_key == klass.school_key
        assert all(people[k].role == "teacher" for k in klass.teacher_keys)
        assert all(people[k].role == "student" for k in klass.student_keys)
    active = [c for c in section_classes if c.state == "active" and c.student_keys]
    assert all(20 <= len(c.student_keys) <= 28 for c in active)
    assert all(c.name == f"{c.subject} {c.section}" for c in active)
    names = {c.name for c in city.classes}
    assert {"Математика 5А", "Български език и литература 7Б"} <= names
    assert any(c.subject == "Информационни технологии" for c in city.classes)
    assert any(len(c.teacher_keys) == 2 for c in city.classes)


def test_odd_classes_are_present(city: City) -> None:
    sizes = collections.Counter(len(c.student_keys) for c in city.classes)
    assert sizes[0] >= 1
    assert sizes[120] >= 1
    big = next(c for c in city.classes if len(c.student_keys) == 120)
    people = {p.key: p for p in city.people}
    assert len({people[k].grade for k in big.student_keys}) > 3  # spans grades
    states = collections.Counter(c.state for c in city.classes)
    assert states["archived"] >= 3
    assert states["provisioned"] == 1
    provisioned = next(c for c in city.classes if c.state == "provisioned")
    assert {s.key: s.platform for s in city.schools}[provisioned.school_key] == "google"


def test_homework_volume_is_one_or_two_a_week(city: City) -> None:
    per_class = collections.Counter(h.class_key for h in city.homework)
    regular = [c for c in city.classes if c.state == "active" and c.student_keys]
    weeks = (city.as_of.date() - city.school_year_start).days / 7
    average = sum(per_class[c.key] for c in regular) / len(regular)
    assert weeks <= average <= 2 * weeks
    assert all(h.key.startswith(h.class_key + "-h") for h in city.homework)


def test_homework_carries_the_legal_oddities(city: City) -> None:
    titles = [h.title for h in city.homework]
    assert any(t.startswith("📐 Геометрия") for t in titles)
    longest = max(titles, key=len)
    assert 2900 < len(longest) <= 3000
    assert any(h.description == "" for h in city.homework)
    assert any(h.max_points is None for h in city.homework)
    assert any(h.due is None for h in city.homework)
    dates = [h.due for h in city.homework if h.due is not None]
    assert any(not isinstance(d, dt.datetime) for d in dates)
    assert {h.category for h in city.homework} == {"Домашна работа", "Проект", "Тест", None}
    kinds = collections.Counter(m.kind for h in city.homework for m in h.materials)
    assert set(kinds) == {"link", "video", "file", "form"}


def test_homework_fields_are_within_sane_bands(city: City) -> None:
    classes = {c.key: c for c in city.classes}
    platform = _platform_of_homework(city)
    total = len(city.homework)
    states = collections.Counter(h.state for h in city.homework)
    assert states["published"] / total >= 0.8
    assert 0 < states["deleted"] < states["draft"] < 0.1 * total
    assert all(platform[h.key] == "microsoft" for h in city.homework if h.state == "inactive")
    assert states["inactive"] > 0
    points = collections.Counter(h.max_points for h in city.homework)
    assert (points[10.0] + points[20.0] + points[100.0]) / total >= 0.7
    by_ui = sum(not h.created_by_app for h in city.homework) / total
    assert 0.05 <= by_ui <= 0.15
    individual = [h for h in city.homework if h.student_keys]
    assert individual
    for homework in city.homework:
        klass = classes[homework.class_key]
        assert homework.creator_key in klass.teacher_keys
        assert set(homework.student_keys) <= set(klass.student_keys)
        assert (homework.published_at is None) == (homework.state == "draft")
        assert homework.created_at >= klass.created_at
        if homework.published_at is not None:
            assert homework.published_at >= homework.created_at
            deadline = _deadline(homework)
            assert deadline is None or deadline > homework.published_at
    for material in (m for h in city.homework for m in h.materials):
        host = urlsplit(material.url).hostname or ""
        if material.kind in ("file", "form"):
            assert host.endswith(".example"), material
        else:
            assert host in ("bg.wikipedia.org", "www.youtube.com"), material


def test_deadlines_are_sofia_wall_clock_times_stored_in_utc(city: City) -> None:
    dues = [h.due for h in city.homework if isinstance(h.due, dt.datetime)]
    local = [d.astimezone(SOFIA) for d in dues]
    assert {(t.hour, t.minute) for t in local} <= {(23, 59), (8, 0), (0, 0), (20, 0), (18, 0)}
    assert all(d.utcoffset() == dt.timedelta(0) for d in dues)
    # Local midnight: the UTC date is the day before the local date.
    assert any(d.date() != t.date() for d, t in zip(dues, local, strict=True))
    # Both sides of the end of summer time (2026-10-25) occur.
    assert {t.utcoffset() for t in local} == {dt.timedelta(hours=3), dt.timedelta(hours=2)}


def _instants(city: City) -> list[dt.datetime]:
    out: list[dt.datetime] = [c.created_at for c in city.classes]
    out += [g.created_at for g in city.guardians]
    for h in city.homework:
        out += [t for t in (h.created_at, h.published_at) if t is not None]
    for w in city.work:
        out += [t for t in (w.updated_at, w.turned_in_at, w.returned_at, w.excused_at) if t]
    return out


@pytest.mark.parametrize("which", ["default", "early"])
def test_nothing_happens_after_as_of_and_every_instant_is_utc(
    city: City, early: City, which: str
) -> None:
    subject = city if which == "default" else early
    instants = _instants(subject)
    assert all(t.tzinfo is dt.UTC for t in instants)
    assert max(instants) <= subject.as_of
    assert max(instants) > subject.as_of - dt.timedelta(days=2)
    assert subject.as_of.tzinfo is dt.UTC


def test_an_earlier_as_of_gives_less_history(city: City, early: City) -> None:
    assert early.as_of == EARLY
    assert early.people == city.people
    assert len(early.work) < len(city.work) / 3


def _walls() -> list[dt.datetime]:
    """Every three hours of two years, and every quarter hour of the switch-over days."""
    walls = [dt.datetime(2026, 1, 1) + dt.timedelta(hours=3 * i) for i in range(8 * 730)]
    for day in (dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2027, 10, 31)):
        start = dt.datetime.combine(day, dt.time())
        walls += [start + dt.timedelta(minutes=15 * i) for i in range(96)]
    return walls


def test_sofia_time_matches_the_zone_database() -> None:
    for wall in _walls():
        expected = wall.replace(tzinfo=SOFIA).astimezone(dt.UTC)
        assert sofia_to_utc(wall) == expected, wall
        assert utc_to_sofia(expected) == expected.astimezone(SOFIA).replace(tzinfo=None)


def test_every_published_homework_has_work_for_each_assigned_student(city: City) -> None:
    classes = {c.key: c for c in city.classes}
    per_homework: dict[str, list[CityWork]] = collections.defaultdict(list)
    for work in city.work:
        per_homework[work.homework_key].append(work)
    for homework in city.homework:
        items = per_homework.get(homework.key, [])
        if homework.state in ("published", "inactive"):
            assigned = homework.student_keys or classes[homework.class_key].student_keys
            assert [w.student_key for w in items] == list(assigned)
            assert all(w.key == f"{homework.key}-{w.student_key}" for w in items)
        else:
            assert items == []


def test_work_states_follow_realistic_distributions(city: City) -> None:
    total = len(city.work)
    states = collections.Counter(w.state for w in city.work)
    done = states["turned_in"] + states["returned"] + states["reassigned"]
    assert done / total >= 0.6
    assert 0.05 <= (states["new"] + states["in_progress"]) / total <= 0.3
    assert 0 < states["reclaimed"] / total <= 0.05
    assert 0 < states["excused"] / total <= 0.05
    assert 0.05 <= sum(w.late for w in city.work) / total <= 0.4
    assert any(w.late and w.state in ("turned_in", "returned") for w in city.work)
    assert any(w.draft_points is not None and w.state == "turned_in" for w in city.work)


def test_platform_only_states_stay_on_their_platform(city: City) -> None:
    platform = _platform_of_homework(city)
    for work in city.work:
        if work.state in ("excused", "reassigned") or work.feedback is not None:
            assert platform[work.homework_key] == "microsoft", work
        if work.state == "reclaimed":
            assert platform[work.homework_key] == "google", work
    assert any(w.feedback for w in city.work)


def test_work_is_internally_consistent(city: City) -> None:
    homework = {h.key: h for h in city.homework}
    extra_credit = 0
    for work in city.work:
        piece = homework[work.homework_key]
        published = piece.published_at
        assert published is not None
        assert published <= work.updated_at <= city.as_of
        if work.turned_in_at is not None:
            assert published <= work.turned_in_at <= work.updated_at
        if work.returned_at is not None:
            assert work.turned_in_at is not None
            assert work.turned_in_at <= work.returned_at <= city.as_of
        assert (work.excused_at is not None) == (work.state == "excused")
        deadline = _deadline(piece)
        if work.state in ("turned_in", "returned", "reassigned"):
            assert work.turned_in_at is not None
            assert work.late == (deadline is not None and work.turned_in_at > deadline)
        elif work.state != "excused":
            assert work.late == (deadline is not None and city.as_of > deadline)
        points = [p for p in (work.draft_points, work.released_points) if p is not None]
        if piece.max_points is None:
            assert points == []
        else:
            assert all(p >= 0 for p in points)
            extra_credit += any(p > piece.max_points for p in points)
        if work.released_points is not None:
            assert work.state in ("returned", "reassigned")
    assert extra_credit <= 0.01 * len(city.work)


def test_keys_are_stable_and_readable(city: City) -> None:
    patterns = {
        "admin": r"s\d+-admin",
        "teacher": r"s\d+-t\d{3}",
        "student": r"s\d+-st\d{4}",
        "guardian": r"g\d{5}",
    }
    for person in city.people:
        assert re.fullmatch(patterns[person.role], person.key), person.key
    assert all(re.fullmatch(r"s\d+-c\d{3}", c.key) for c in city.classes)
    assert all(re.fullmatch(r"s\d+-c\d{3}-h\d{2,}", h.key) for h in city.homework)
    assert city.people[0].key == "s1-admin"
    assert {"s1-t001", "s1-st0001", "g00001"} <= {p.key for p in city.people}
