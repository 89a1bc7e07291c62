"""Reading a teacher's grades CSV: encodings, delimiters and headers as Excel writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from unified_edu.errors import ValidationError
from unified_edu.homework import GradeRow, read_grades_csv

BOM = "\ufeff"


def test_excel_bulgarian_semicolons_with_bom_and_decimal_comma(tmp_path: Path) -> None:
    text = (
        f"{BOM}Имейл;Точки;Обратна връзка\r\n"
        "ivan.petrov@school.example;8,5;Много добре!\r\n"
        "maria@school.example;10;\r\n"
        ";;\r\n"  # an empty row Excel leaves behind
        'georgi@school.example;;"Липсва задача 3; виж ""учебника"""\r\n'
    )
    path = tmp_path / "оценки.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_grades_csv(path) == [
        GradeRow(
            row=2, student="ivan.petrov@school.example", points="8,5", feedback="Много добре!"
        ),
        GradeRow(row=3, student="maria@school.example", points="10", feedback=None),
        GradeRow(
            row=5,
            student="georgi@school.example",
            points=None,
            feedback='Липсва задача 3; виж "учебника"',
        ),
    ]


def test_commas_without_bom_english_header_and_ids() -> None:
    data = b'Student ID,Points\n1001,7\n1002,"6.5"\n'
    assert read_grades_csv(data) == [
        GradeRow(row=2, student="1001", points="7"),
        GradeRow(row=3, student="1002", points="6.5"),
    ]


def test_tab_delimited_and_header_names_are_forgiving() -> None:
    data = "E-mail\tGRADE\tstudent_feedback_ignored\tComment\na@x.example\t5\tx\tДобре\n"
    rows = read_grades_csv(data.encode())
    assert rows == [GradeRow(row=2, student="a@x.example", points="5", feedback="Добре")]


def test_multi_line_feedback_keeps_spreadsheet_row_numbers() -> None:
    data = 'email;points;feedback\na@x.example;5;"ред 1\nред 2"\nb@x.example;6;\n'
    rows = read_grades_csv(data.encode())
    assert [(r.row, r.student, r.feedback) for r in rows] == [
        (2, "a@x.example", "ред 1\nред 2"),
        (3, "b@x.example", None),
    ]


def test_leading_blank_lines_count_as_rows() -> None:
    rows = read_grades_csv(b"\n\nemail,points\na@x.example,5\n")
    assert rows == [GradeRow(row=4, student="a@x.example", points="5")]


def test_not_utf8_is_refused_with_advice() -> None:
    data = "Имейл;Точки\nа@x.example;5\n".encode("cp1251")
    with pytest.raises(ValidationError, match="CSV UTF-8"):
        read_grades_csv(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n", b"name;surname\nIvan;Petrov\n", b"email\na@x.example\n", b"points\n5\n"],
)
def test_a_header_naming_the_columns_is_needed(data: bytes) -> None:
    with pytest.raises(ValidationError, match=r"empty|must name the columns"):
        read_grades_csv(data)


def test_a_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read"):
        read_grades_csv(tmp_path / "missing.csv")
