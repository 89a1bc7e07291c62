"""``unified-edu assign`` and ``unified-edu grade`` through the real entry point.

These commands write, so this module serves its own small city (one Google domain and
the Microsoft tenant, a few classes each) instead of the session's shared sandbox, with
the tenants file the sandbox writes (Microsoft: its app-only token). Checked: the plan
and deadlines per platform, every problem listed with nothing written, idempotent
re-runs, exit codes of partial failures, grades from a Bulgarian Excel CSV, and that no
credential ever reaches an output or a log record, ``--debug`` included.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import attrs
import pytest
from click.testing import Result
from typer.testing import CliRunner

from unified_edu.cli import app
from unified_edu.client import Municipality
from unified_edu.models import Assignment, Class, ClassState, Role, Submission, SubmissionState
from unified_edu.sandbox import FaultConfig, Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox._seed import generate_city

Run = Callable[..., Result]
_NOT_WRITES = frozenset({"POST /$batch", "batch", "oauth.token"})


def two_school_city() -> City:
    """The seeded city's first Google school and first Microsoft school, 4 classes each."""
    city = generate_city(2026, 1)
    kept = [s for s in city.schools if s.key in ("s1", "s5")]
    keys = {s.key for s in kept}
    classes = [c for s in kept for c in [c for c in city.classes if c.school_key == s.key][:4]]
    homework = [h for h in city.homework if h.class_key in {c.key for c in classes}]
    people = [p for p in city.people if p.school_key in keys or p.school_key is None]
    people_keys = {p.key for p in people}
    return attrs.evolve(
        city,
        schools=tuple(kept),
        classes=tuple(classes),
        homework=tuple(homework),
        work=tuple(w for w in city.work if w.homework_key in {h.key for h in homework}),
        people=tuple(people),
        guardians=tuple(
            g
            for g in city.guardians
            if g.student_key in people_keys and g.guardian_key in people_keys
        ),
    )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(city=two_school_city()) as sb:
        yield sb


@pytest.fixture(scope="module")
def config(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = sandbox.tenants_config_toml(tmp_path_factory.mktemp("homework-city"))
    text = path.read_text(encoding="utf-8")
    if "[city]" not in text:  # the city's zone is what deadlines are typed in
        text = f'[city]\nname = "Пловдив"\ntime_zone = "Europe/Sofia"\n\n{text}'
        path.write_text(text, encoding="utf-8")
    assert 'time_zone = "Europe/Sofia"' in text
    return path


@pytest.fixture(scope="module")
def city(config: Path) -> Iterator[Municipality]:
    with Municipality.from_config(config) as built:
        yield built


@pytest.fixture
def run(config: Path) -> Run:
    """``run("assign", ...)`` with the module's tenants file; ``env=`` adds variables."""
    runner = CliRunner()

    def invoke(*args: str, env: Mapping[str, str] | None = None) -> Result:
        variables = {"UNIFIED_EDU_CONFIG": str(config), "COLUMNS": "250", **(env or {})}
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level  # the app reconfigures logging
        try:
            return runner.invoke(app, list(args), env=variables)
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)

    return invoke


def writes(sb: Sandbox) -> list[str]:
    return [
        f"{e.method} {e.operation}"
        for e in sb.log()
        if e.method != "GET" and e.operation not in _NOT_WRITES
    ]


def classes_of(city: Municipality, platform: str) -> list[Class]:
    found = [
        c
        for c in city.list_classes()
        if c.state is ClassState.ACTIVE and c.ref.provider == platform
    ]
    return sorted(found, key=lambda c: c.ref.id)


def ref(klass: Class) -> str:
    return f"{klass.ref.tenant}:{klass.ref.id}"


def class_args(classes: list[Class]) -> list[str]:
    return [arg for klass in classes for arg in ("--class", ref(klass))]


def copies(city: Municipality, classes: list[Class], title: str) -> dict[str, int]:
    counts = {c.ref.id: 0 for c in classes}
    for assignment in city.iter_assignments(classes):
        if assignment.title == title:
            counts[assignment.class_id] += 1
    return counts


# -- assign ---------------------------------------------------------------------------


def test_dry_run_shows_each_platform_deadline_and_writes_nothing(
    run: Run, sandbox: Sandbox, city: Municipality, tmp_path: Path
) -> None:
    google, microsoft = classes_of(city, "google")[:2], classes_of(city, "microsoft")[:2]
    listing = tmp_path / "classes.txt"
    listing.write_text(
        "# 7th grade\n" + "\n".join(ref(k) for k in microsoft) + "\n\n", encoding="utf-8"
    )
    sandbox.reset_stats()
    result = run(
        "assign", *class_args(google), "--classes-file", str(listing),
        "--title", "Дроби: упражнение", "--due", "2026-12-04 23:59", "--points", "10",
        "--category", "Домашни", "--allow-drafts", "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "due 2026-12-04 23:59 Europe/Sofia" in out
    for klass in google + microsoft:
        assert ref(klass) in out
    assert out.count("2026-12-04 21:59:00 UTC") == 4
    assert out.count("will create; create category 'Домашни'") == 2
    assert out.count("will create (draft)") == 2
    assert "a teacher must publish it" in out
    assert "dry run: 4 of 4 classes would be written to; nothing was written" in out
    assert writes(sandbox) == []


def test_date_only_deadline_per_platform(run: Run, city: Municipality) -> None:
    classes = classes_of(city, "google")[:1] + classes_of(city, "microsoft")[:1]
    result = run(
        "assign", *class_args(classes), "--title", "Есе", "--due-date", "2026-12-04",
        "--ungraded", "--allow-drafts", "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "due 2026-12-04 (end of the day, Europe/Sofia)" in result.stdout
    assert "2026-12-04 21:59:00 UTC" in result.stdout  # Classroom: 23:59 local
    assert "2026-12-04 21:59:59 UTC" in result.stdout  # Graph: 23:59:59 local


def test_every_problem_is_listed_and_nothing_is_written(
    run: Run, sandbox: Sandbox, city: Municipality
) -> None:
    google, microsoft = classes_of(city, "google")[:1], classes_of(city, "microsoft")[:1]
    missing = f"{google[0].ref.tenant}:999999"
    sandbox.reset_stats()
    result = run(
        "assign", *class_args(google + microsoft), "--class", missing,
        "--title", "Т" * 3001, "--points", "7.5", "--link", "https://example.org/a",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "5 problems; nothing was written:" in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(lines) == 5, result.stderr
    assert any(f"{missing}: no such class" in line for line in lines)
    assert any("Google Classroom allows at most 3,000" in line for line in lines)
    assert any("whole points only" in line for line in lines)
    assert any("cannot publish" in line and "--allow-drafts" in line for line in lines)
    assert "not attach links" in result.stderr
    assert writes(sandbox) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "x"], "give --points N for graded homework or --ungraded"),
        (["--title", "x", "--points", "5", "--ungraded"], "--points N for graded homework"),
        (["--title", "x", "--ungraded", "--due", "утре"], "cannot read the deadline"),
        (
            ["--title", "x", "--ungraded", "--due", "2026-12-04 10:00", "--due-date", "2026-12-04"],
            "give --due or --due-date, not both",
        ),
        (["--title", "x", "--ungraded", "--due", "2026-03-29 03:30"], "does not exist"),
    ],
)
def test_usage_errors_exit_2(run: Run, city: Municipality, args: list[str], message: str) -> None:
    result = run("assign", *class_args(classes_of(city, "google")[:1]), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_class_refs_must_name_a_tenant(run: Run) -> None:
    result = run("assign", "--class", "12345", "--class", "nowhere:1", "--title", "x", "--ungraded")
    assert result.exit_code == 2
    assert "a class is named tenant:class_id, not '12345'" in result.stderr
    assert "no tenant 'nowhere'" in result.stderr
    assert run("assign", "--title", "x", "--ungraded").exit_code == 2


def test_assign_then_run_again(run: Run, sandbox: Sandbox, city: Municipality) -> None:
    classes = classes_of(city, "google")[:2] + classes_of(city, "microsoft")[:2]
    args = [
        "assign", *class_args(classes), "--title", "Упражнение 12", "--instructions",
        "Задачи 1–5 от учебника.", "--due", "2026-12-11 20:00", "--points", "10",
        "--allow-drafts",
    ]  # fmt: skip
    first = run(*args)
    assert first.exit_code == 0, first.stderr
    assert "created in 4, published an earlier draft in 0, already there in 0, failed in 0" in (
        first.stdout
    )
    assert "2 classes have it as a draft that students do not see yet" in first.stdout
    sandbox.reset_stats()
    second = run(*args)
    assert second.exit_code == 0, second.stderr
    assert "created in 0, published an earlier draft in 0, already there in 4" in second.stdout
    assert writes(sandbox) == []
    assert copies(city, classes, "Упражнение 12") == {c.ref.id: 1 for c in classes}


def test_partial_failure_exit_1_then_a_rerun_completes(
    run: Run, sandbox: Sandbox, city: Municipality
) -> None:
    classes = classes_of(city, "google")[:2] + classes_of(city, "microsoft")[:1]
    victim = classes[2]
    # Graph keeps refusing one class's creates (each retry waits the 10 ms Retry-After).
    sandbox.faults.configure(FaultConfig(retry_after=0.01))
    sandbox.faults.add(
        "429", method="POST", path_regex=f"/classes/{victim.ref.id}/assignments$", times=50
    )
    args = ["assign", *class_args(classes), "--title", "Тест 3", "--ungraded", "--due-date",
            "2026-12-18", "--allow-drafts"]  # fmt: skip
    try:
        first = run(*args)
    finally:
        sandbox.faults.clear()
        sandbox.faults.configure(FaultConfig())
    assert first.exit_code == 1
    assert "created in 2, published an earlier draft in 0, already there in 0, failed in 1" in (
        first.stdout
    )
    assert f"not posted: {ref(victim)} ({victim.name}): RateLimitedError" in first.stderr
    assert "run the same command again" in first.stderr
    second = run(*args)
    assert second.exit_code == 0, second.stderr
    assert "created in 1, published an earlier draft in 0, already there in 2" in second.stdout
    assert copies(city, classes, "Тест 3") == {c.ref.id: 1 for c in classes}


# -- grade ----------------------------------------------------------------------------


def graded_homework(city: Municipality, platform: str) -> tuple[Assignment, list[Submission]]:
    """Published graded homework made by this app with a few pupils' work."""
    for klass in classes_of(city, platform):
        provider = city.provider(klass.ref.tenant)
        for assignment in provider.iter_assignments(klass.ref.id):
            if (
                assignment.state.value == "published"
                and assignment.max_points
                and assignment.max_points >= 10
                and assignment.created_by_this_app is not False
            ):
                work = provider.list_submissions(klass.ref.id, assignment_id=assignment.ref.id)
                turned_in = [
                    s
                    for s in work
                    if s.state in (SubmissionState.TURNED_IN, SubmissionState.RETURNED)
                ]
                if len(turned_in) >= 3:
                    return assignment, turned_in[:3]
    raise AssertionError(f"no graded homework on {platform}")


def emails(city: Municipality, assignment: Assignment) -> dict[str, str]:
    provider = city.provider(assignment.ref.tenant)
    return {
        p.ref.id: str(p.email)
        for p in provider.iter_people(class_ids=assignment.class_id, role=Role.STUDENT)
    }


def assignment_ref(assignment: Assignment) -> str:
    return f"{assignment.ref.tenant}:{assignment.class_id}:{assignment.ref.id}"


def excel_csv(path: Path, lines: list[str]) -> Path:
    """What Excel with Bulgarian settings writes for 'CSV UTF-8': a BOM, ';', CRLF."""
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def test_grade_from_bulgarian_excel_with_feedback_and_return(
    run: Run, sandbox: Sandbox, city: Municipality, tmp_path: Path
) -> None:
    assignment, work = graded_homework(city, "microsoft")
    mail = emails(city, assignment)
    rows = ["Имейл;Точки;Обратна връзка"] + [
        f"{mail[s.student_id]};{i + 6},5;Браво, {i}!" for i, s in enumerate(work)
    ]
    path = excel_csv(tmp_path / "оценки 7А.csv", rows)
    result = run("grade", "--assignment", assignment_ref(assignment), "--file", str(path),
                 "--return")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "returned 3, graded as drafts 0, unchanged 0, failed 0 of 3 rows" in result.stdout
    assert mail[work[0].student_id] not in result.stdout  # pupils by row number only
    provider = city.provider(assignment.ref.tenant)
    for i, submission in enumerate(work):
        now = provider.get_submission(assignment.class_id, assignment.ref.id, submission.ref.id)
        assert now.state is SubmissionState.RETURNED
        assert now.released_grade is not None
        assert now.released_grade.points == i + 6.5
        assert now.released_grade.feedback == f"Браво, {i}!"
    sandbox.reset_stats()
    again = run("grade", "--assignment", assignment_ref(assignment), "--file", str(path),
                "--return", "--names")  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert "returned 0, graded as drafts 0, unchanged 3, failed 0 of 3 rows" in again.stdout
    assert mail[work[0].student_id] in again.stdout
    assert writes(sandbox) == []


def test_grade_problems_are_listed_by_row_and_nothing_is_written(
    run: Run, sandbox: Sandbox, city: Municipality, tmp_path: Path
) -> None:
    assignment, work = graded_homework(city, "google")
    mail = emails(city, assignment)
    first, second, third = (mail[s.student_id] for s in work)
    maximum = f"{assignment.max_points:g}"
    path = excel_csv(
        tmp_path / "grades.csv",
        [
            "email;points;feedback",
            f"{first};5;",
            "someone@else.example;5;",
            f"{second};пет;",
            f"{third};{float(maximum) + 1:g};Добре",
            f"{first.upper()};4;",
        ],
    )
    sandbox.reset_stats()
    result = run("grade", "--assignment", assignment_ref(assignment), "--file", str(path))
    assert result.exit_code == 2
    assert "5 problems; nothing was written:" in result.stderr
    for expected in (
        "row 3: someone@else.example is not a student of this class",
        "row 4: points 'пет' is not a number",
        f"row 5: {float(maximum) + 1:g} points exceed the maximum of {maximum}",
        "row 5: Google Classroom keeps no feedback from this app",
        f"row 6: {first.upper()} is already in row 2",
    ):
        assert expected in result.stderr
    assert writes(sandbox) == []


def test_grade_dry_run_and_not_turned_in_work(
    run: Run, sandbox: Sandbox, city: Municipality, tmp_path: Path
) -> None:
    klass = classes_of(city, "google")[0]
    made = run("assign", "--class", ref(klass), "--title", "Нова задача", "--points", "10")
    assert made.exit_code == 0, made.stderr
    provider = city.provider(klass.ref.tenant)
    assignment = next(
        a for a in provider.iter_assignments(klass.ref.id) if a.title == "Нова задача"
    )
    work = provider.list_submissions(klass.ref.id, assignment_id=assignment.ref.id)[:2]
    mail = emails(city, assignment)
    path = excel_csv(
        tmp_path / "g.csv", ["email,points"] + [f"{mail[s.student_id]},9" for s in work]
    )
    sandbox.reset_stats()
    dry = run("grade", "--assignment", assignment_ref(assignment), "--file", str(path), "--return",
              "--dry-run")  # fmt: skip
    assert dry.exit_code == 0, dry.stderr
    assert "dry run: 2 rows are valid, 2 would be written" in dry.stdout
    assert "not returned: the work was not turned in" in dry.stdout
    assert writes(sandbox) == []
    done = run("grade", "--assignment", assignment_ref(assignment), "--file", str(path), "--return")
    assert done.exit_code == 0, done.stderr
    assert "returned 0, graded as drafts 2, unchanged 0, failed 0 of 2 rows" in done.stdout
    assert "2 rows were graded but not returned" in done.stdout


def test_grade_usage_errors(run: Run, tmp_path: Path) -> None:
    missing = run("grade", "--assignment", "a:b:c", "--file", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
    path = tmp_path / "cp1251.csv"
    path.write_bytes("Имейл;Точки\nx@y.example;5\n".encode("cp1251"))
    wrong = run("grade", "--assignment", "a:b:c", "--file", str(path))
    assert wrong.exit_code == 2
    assert "CSV UTF-8" in wrong.stderr
    bad_ref = run("grade", "--assignment", "nope", "--file", str(path))
    assert bad_ref.exit_code == 2
    assert "tenant:class_id:assignment_id" in bad_ref.stderr


# -- credentials ----------------------------------------------------------------------


def secrets_of(sandbox: Sandbox, config: Path) -> list[str]:
    """Every credential the sandbox handed out or the tenants file points at."""
    found = [token for info in sandbox.tenants for token in info.tokens.values()]
    for path in config.parent.iterdir():
        if path.suffix in (".token", ".json"):
            text = path.read_text(encoding="utf-8")
            found.append(text.strip())
            # The service-account key's private parts, line by line.
            found += re.findall(r"[A-Za-z0-9+/=]{40,}", text)
            found += re.findall(r'"private_key_id":\s*"([^"]+)"', text)
    return [s for s in found if len(s) >= 8]


class _Records(logging.Handler):
    """Raw log records (before any redacting filter) of the loggers that could leak."""

    LOGGERS = (
        "unified_edu", "googleapiclient", "google", "google_auth_httplib2", "httplib2",
        "httpx", "httpcore", "msgraph", "msgraph_core", "kiota_http", "kiota_abstractions",
        "azure", "urllib3",
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.texts.append(text)

    def __enter__(self) -> _Records:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


def test_tokens_never_appear_in_outputs_traces_or_logs(
    run: Run, sandbox: Sandbox, city: Municipality, config: Path, tmp_path: Path
) -> None:
    google = classes_of(city, "google")[:2]
    microsoft = classes_of(city, "microsoft")[:1]
    assignment, work = graded_homework(city, "microsoft")
    mail = emails(city, assignment)
    grades = excel_csv(
        tmp_path / "g.csv", ["email;points"] + [f"{mail[s.student_id]};7" for s in work]
    )
    # A tenants file whose Microsoft token is wrong: the platform refuses it (401).
    broken_dir = tmp_path / "broken"
    broken_dir.mkdir()
    app_token = next(i.tokens["app"] for i in sandbox.tenants if i.platform == "microsoft")
    head, claims, _ = app_token.split(".")
    wrong_token = f"{head}.{claims}.{'A' * 86}"  # the right claims, a forged signature
    (broken_dir / "ms.token").write_text(wrong_token, encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    broken = broken_dir / "tenants.toml"
    broken.write_text(
        re.sub(r'file = "[^"]*microsoft[^"]*\.token"', f'file = "{broken_dir / "ms.token"}"', text),
        encoding="utf-8",
    )
    assert str(broken_dir / "ms.token") in broken.read_text(encoding="utf-8")
    # Failures on the write paths: Graph creates stay rate limited (they fail), a grade
    # patch loses its answer and a read meets a 503 (both are retried).
    sandbox.faults.configure(FaultConfig(retry_after=0.01))
    sandbox.faults.add("429", method="POST", path_regex=r"/assignments$", times=100)
    sandbox.faults.add("reset_after", method="PATCH", path_regex=r"/outcomes/", times=2)
    sandbox.faults.add("503", method="GET", path_regex=r"/education/classes/[^/]+$", times=1)
    outputs: list[str] = []
    try:
        with _Records() as records:
            for args in (
                ["--debug", "assign", *class_args(google + microsoft), "--title", "Тайна",
                 "--points", "5", "--allow-drafts"],
                ["--debug", "grade", "--assignment", assignment_ref(assignment), "--file",
                 str(grades), "--return"],
                ["--debug", "assign", "--config", str(broken), *class_args(microsoft),
                 "--title", "x", "--ungraded", "--allow-drafts"],
                ["--debug", "-v", "assign", *class_args(google), "--title", "Тайна", "--points",
                 "5", "--dry-run"],
            ):  # fmt: skip
                result = run(*args)
                assert result.exit_code in (0, 1, 3), (args, result.stderr)
                outputs += [result.stdout, result.stderr]
    finally:
        sandbox.faults.clear()
        sandbox.faults.configure(FaultConfig())
    assert "Traceback" in "".join(outputs)  # --debug did show tracebacks
    assert any(o for o in outputs if "AuthenticationError" in o)
    everything = "\n".join(outputs + records.texts)
    assert records.texts  # the loggers did log
    for secret in [*secrets_of(sandbox, config), wrong_token]:
        assert secret not in everything
    assert not re.search(r"(?i)bearer\s+(?!\*\*\*)[A-Za-z0-9._~+/-]{8,}", everything)
    assert "ya29." not in everything
    assert not re.search(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", everything)
    assert "PRIVATE KEY" not in everything
