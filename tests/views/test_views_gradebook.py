"""``gradebook``: a class's homework × students, its cells and its files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from unified_edu.client import Municipality
from unified_edu.errors import ValidationError
from unified_edu.models import Ref, SubmissionState
from unified_edu.sandbox._city import City, CityClass
from unified_edu.views import (
    Gradebook,
    GradebookCell,
    Labeler,
    gradebook,
    gradebook_table,
    write_gradebook,
)


def cell(released: float | None, draft: float | None) -> GradebookCell:
    return GradebookCell(
        state=SubmissionState.RETURNED,
        late=False,
        released_points=released,
        draft_points=draft,
        submission_id="s",
    )


@pytest.mark.parametrize(
    ("released", "draft", "text", "is_draft"),
    [
        (17.0, 17.0, "17", False),
        (None, 18.0, "18 (draft)", True),
        (17.0, 18.5, "17 → 18.5 (draft)", True),
        (None, None, "", False),
        (9.0, None, "9", False),
    ],
)
def test_a_cell_says_which_grade_is_a_draft(
    released: float | None, draft: float | None, text: str, is_draft: bool
) -> None:
    got = cell(released, draft)
    assert got.text() == text
    assert got.is_draft is is_draft
    assert got.points == (draft if is_draft else released)


def sample_class(seeded: City, platform: str) -> CityClass:
    drafts = {
        w.homework_key
        for w in seeded.work
        if w.draft_points is not None and w.released_points is None
    }
    return next(
        k
        for k in seeded.classes
        if k.state == "active"
        and k.student_keys
        and next(s.platform for s in seeded.schools if s.key == k.school_key) == platform
        and any(h.class_key == k.key and h.key in drafts for h in seeded.homework)
    )


@pytest.fixture(scope="module", params=["google", "microsoft"])
def case(
    request: pytest.FixtureRequest, city: Municipality, seeded: City, platforms: set[str]
) -> tuple[CityClass, Gradebook]:
    if request.param not in platforms:
        pytest.skip(f"{request.param} tenants cannot be built from a tenants file yet")
    klass = sample_class(seeded, request.param)
    tenant = next(s.tenant for s in seeded.schools if s.key == klass.school_key)
    native = next(k for k in city.iter_classes(tenants=[tenant]) if k.name == klass.name).ref
    assert isinstance(native, Ref)
    return klass, gradebook(city, native)


def test_columns_are_the_posted_homework_by_deadline(
    case: tuple[CityClass, Gradebook], seeded: City
) -> None:
    klass, book = case
    posted = [
        h
        for h in seeded.homework
        if h.class_key == klass.key and h.state in ("published", "inactive")
    ]
    assert sorted(c.title for c in book.columns) == sorted(h.title for h in posted)
    dated = [c.due for c in book.columns if isinstance(c.due, dt.datetime)]
    assert all(d.tzinfo is not None and str(d.tzinfo) == "Europe/Sofia" for d in dated)
    assert book.klass.name == klass.name
    assert book.time_zone == "Europe/Sofia"


def test_rows_are_the_students_with_both_grades(
    case: tuple[CityClass, Gradebook], seeded: City
) -> None:
    klass, book = case
    emails = {p.key: p.email for p in seeded.people}
    assert {r.person.email for r in book.rows if r.person} == {
        emails[k] for k in klass.student_keys
    }
    homework = {h.key for h in seeded.homework if h.class_key == klass.key}
    works = [w for w in seeded.work if w.homework_key in homework]
    cells = [c for row in book.rows for c in row.cells if c is not None]
    assert len(cells) == len(works)
    assert sorted(c.draft_points or 0 for c in cells) == sorted(w.draft_points or 0 for w in works)
    assert sorted(c.released_points or 0 for c in cells) == sorted(
        w.released_points or 0 for w in works
    )
    assert sum(c.is_draft for c in cells) == sum(
        w.draft_points is not None and w.draft_points != w.released_points for w in works
    )
    first = book.rows[0]
    column = next(i for i, c in enumerate(first.cells) if c is not None)
    assert book.cell(first.student_id, book.columns[column].assignment_id) is first.cells[column]
    with pytest.raises(KeyError):
        book.cell("nobody", book.columns[0].assignment_id)


def test_the_table_pseudonymises_and_sorts_by_what_it_shows(
    case: tuple[CityClass, Gradebook], city: Municipality
) -> None:
    _, book = case
    labeler = Labeler.for_city(city.city, names=False)
    header, rows = gradebook_table(book, labeler)
    assert header[0] == "student"
    assert header[1] != "email"
    assert len(header) == 1 + len(book.columns)
    assert len(set(header)) == len(header)  # repeated titles get "#2"
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert all(r[0].startswith("P-") for r in rows)
    named_header, named = gradebook_table(book, Labeler())
    assert named_header[1] == "email"
    assert {r[1] for r in named} == {r.person.email for r in book.rows if r.person}


def test_files(case: tuple[CityClass, Gradebook], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _, book = case
    path = write_gradebook(book, tmp_path / "g.csv", Labeler())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(book.rows)
    workbook = load_workbook(write_gradebook(book, tmp_path / "g.xlsx", Labeler()))
    sheet = workbook.active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows(min_row=2, min_col=3) for c in row]
    assert any(isinstance(v, int | float) for v in values)  # released grades are numbers
    drafts = [
        c
        for row in sheet.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str) and c.value.endswith("(draft)")
    ]
    assert drafts
    assert all(c.font.italic for c in drafts)
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        write_gradebook(book, tmp_path / "g.ods", Labeler())
