"""The read-only commands through the real entry point, against the seeded sandbox city.

Every figure is checked against ``sandbox.city`` (the seed), on each platform the tenants
file covers (``platforms``): classes per tenant, a pupil's homework, a class's grid.
Pupils must never appear by name or e-mail unless ``--names`` is given, draft grades
never in a parent's view, and credentials never in any output, ``--debug`` included.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City, CityClass, CityPerson

RunCli = Callable[..., Result]
POSTED = ("published", "inactive")


# -- the seeded city ------------------------------------------------------------------


def city_of(sandbox: Sandbox) -> City:
    assert sandbox.city is not None
    return sandbox.city


def tenant_of(city: City, school_key: str) -> str:
    return next(s.tenant for s in city.schools if s.key == school_key)


def person(city: City, key: str) -> CityPerson:
    return next(p for p in city.people if p.key == key)


def platform_of(city: City, klass: CityClass) -> str:
    return next(s.platform for s in city.schools if s.key == klass.school_key)


def sample_class(city: City, platform: str) -> CityClass:
    """An active class with pupils, posted homework and a draft grade somewhere."""
    drafts = {
        w.homework_key
        for w in city.work
        if w.draft_points is not None and w.released_points is None
    }
    for klass in city.classes:
        if (
            klass.state != "active"
            or not klass.student_keys
            or platform_of(city, klass) != platform
        ):
            continue
        homework = [h for h in city.homework if h.class_key == klass.key]
        if any(h.key in drafts for h in homework) and any(h.state == "draft" for h in homework):
            return klass
    raise AssertionError(f"no sample class on {platform}")


def pupil_homework(city: City, pupil: CityPerson) -> list[tuple[str, str]]:
    """(class name, title) of every posted piece of homework set for the pupil."""
    classes = {
        k.key: k.name for k in city.classes if k.state == "active" and pupil.key in k.student_keys
    }
    return [
        (classes[h.class_key], h.title)
        for h in city.homework
        if h.class_key in classes
        and h.state in POSTED
        and (not h.student_keys or pupil.key in h.student_keys)
    ]


def sample_pupil(city: City, platform: str) -> CityPerson:
    """A pupil of :func:`sample_class` with a draft grade the pupil must not see."""
    klass = sample_class(city, platform)
    homework = {h.key for h in city.homework if h.class_key == klass.key}
    key = next(
        w.student_key
        for w in city.work
        if w.homework_key in homework and w.draft_points is not None and w.released_points is None
    )
    return person(city, key)


@pytest.fixture(scope="module")
def cli(run_cli: RunCli) -> RunCli:
    """``run_cli`` remembering each read-only command's result for the module."""
    seen: dict[tuple[str, ...], Result] = {}

    def run(*args: str) -> Result:
        if args not in seen:
            seen[args] = run_cli(*args)
        return seen[args]

    return run


def class_ref(cli: RunCli, city: City, klass: CityClass) -> str:
    listed = json.loads(cli("classes", "list", "--json").stdout)
    tenant = tenant_of(city, klass.school_key)
    return next(c["ref"] for c in listed if c["tenant"] == tenant and c["name"] == klass.name)


# -- --help stays light -----------------------------------------------------------------


def test_help_imports_no_platform_client() -> None:
    code = (
        "import sys\n"
        "from unified_edu.cli import main\n"
        "for args in (['--help'], ['progress', '--help'], ['gradebook', '--help'],\n"
        "             ['tenants', 'check', '--help'], ['people', 'list', '--help']):\n"
        "    sys.argv = ['unified-edu', *args]\n"
        "    try:\n        main()\n"
        "    except SystemExit as exc:\n        assert exc.code in (0, None), (args, exc.code)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('googleapiclient', 'msgraph', 'msgraph_core', 'azure', 'openpyxl'))\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.rstrip().endswith("HEAVY:")
    assert "--student" in done.stdout
    assert "--names" in done.stdout


def test_the_installed_script_lists_the_commands() -> None:
    script = Path(sys.executable).parent / "unified-edu"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    for command in ("tenants", "schools", "classes", "people", "assignments", "submissions"):
        assert command in done.stdout
    assert "progress" in done.stdout
    assert "gradebook" in done.stdout


# -- tenants check ------------------------------------------------------------------------


def test_tenants_check_passes_for_every_sandbox_tenant(
    run_cli: RunCli, sandbox: Sandbox, platforms: set[str]
) -> None:
    result = run_cli("tenants", "check", "--json")
    assert result.exit_code == 0, result.stderr
    statuses = {s["tenant"]: s for s in json.loads(result.stdout)}
    expected = {t.tenant for t in sandbox.tenants if t.platform in platforms}
    assert set(statuses) == expected
    assert all(s["status"] == "ok" and s["error"] is None for s in statuses.values())
    for status in statuses.values():
        if status["provider"] == "google":
            assert status["credential_kind"] == "service_account"
            assert set(status["missing"]) == {"feedback", "excuse", "reassign"}
            assert "read_submissions" in status["capabilities"]
        else:
            assert status["mode"] == "app_only"
            assert "publish_assignments" in status["narrowed_by_credentials"]
            assert "delegated" in status["missing"]["publish_assignments"]
    table = run_cli("tenants", "check")
    assert table.exit_code == 0
    assert "cannot" in table.stdout
    assert "ok" in table.stdout


def test_tenants_check_reports_each_bad_tenant_and_exits_3(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    secret = "bogus-token-0123456789abcdef"
    (tmp_path / "bad.token").write_text(secret, encoding="utf-8")
    config = tmp_path / "bad.toml"
    config.write_text(
        f"""
[[tenants]]
name = "su-vazov.plovdiv.example"
provider = "google"
endpoint = "{sandbox.google_endpoint}"
credentials = {{ kind = "token", file = "bad.token" }}

[[tenants]]
name = "ghost.plovdiv.example"
provider = "google"
endpoint = "{sandbox.google_endpoint}"
credentials = {{ kind = "token", file = "missing.token" }}
""",
        encoding="utf-8",
    )
    result = run_cli("tenants", "check", "-c", str(config))
    assert result.exit_code == 3, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert "AuthenticationError" in errors[0]
    assert "ConfigurationError" in errors[1]
    assert "Traceback" not in result.stderr
    debug = run_cli("--debug", "tenants", "check", "-c", str(config))
    assert debug.exit_code == 3
    assert "Traceback" in debug.stderr
    for output in (result.output, debug.output):
        assert secret not in output


# -- listings ------------------------------------------------------------------------------


def test_schools_list_matches_the_city(cli: RunCli, sandbox: Sandbox, platforms: set[str]) -> None:
    city = city_of(sandbox)
    result = cli("schools", "list", "--json")
    assert result.exit_code == 0, result.stderr
    schools = json.loads(result.stdout)
    expected = Counter(s.tenant for s in city.schools if s.platform in platforms)
    assert Counter(s["tenant"] for s in schools) == expected
    assert {s["name"] for s in schools} == {s.name for s in city.schools if s.platform in platforms}
    assert "„" in result.stdout  # Cyrillic and quotes readable, not \\u escapes


def test_classes_list_counts_per_tenant(cli: RunCli, sandbox: Sandbox, platforms: set[str]) -> None:
    city = city_of(sandbox)
    expected = Counter(
        tenant_of(city, k.school_key) for k in city.classes if platform_of(city, k) in platforms
    )
    result = cli("classes", "list", "--json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert Counter(c["tenant"] for c in listed) == expected
    assert "Математика" in result.stdout
    assert all(c["ref"] == f"{c['tenant']}:{c['id']}" for c in listed)
    # Graph v1.0 classes have no state: every one it lists is active.
    active = sum(
        1
        for k in city.classes
        if platform_of(city, k) in platforms
        and (k.state == "active" or platform_of(city, k) == "microsoft")
    )
    as_csv = cli("classes", "list", "--csv", "--state", "active")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == active
    assert {r["state"] for r in rows} == {"active"}
    google = next(s.tenant for s in city.schools_on("google"))
    one = json.loads(cli("classes", "list", "--tenant", google, "--json").stdout)
    assert len(one) == expected[google]
    table = cli("classes", "list", "--tenant", google)
    assert table.exit_code == 0
    assert f"{len(one)} rows" in table.stdout
    quiet = cli("-q", "classes", "list", "--tenant", google)
    assert quiet.exit_code == 0
    assert quiet.output == ""


@pytest.mark.parametrize("platform", ["google", "microsoft"])
def test_people_of_a_class_are_pseudonymised_by_default(
    cli: RunCli, sandbox: Sandbox, platforms: set[str], platform: str
) -> None:
    if platform not in platforms:
        pytest.skip(f"{platform} tenants cannot be built from a tenants file yet")
    city = city_of(sandbox)
    klass = sample_class(city, platform)
    ref = class_ref(cli, city, klass)
    pupils = [person(city, key) for key in klass.student_keys]
    teacher = person(city, klass.teacher_keys[0])
    for args in ([], ["--json"], ["--csv"]):
        result = cli("people", "list", "--class", ref, *args)
        assert result.exit_code == 0, result.stderr
        for pupil in pupils:
            assert pupil.email not in result.output
            assert pupil.full_name not in result.output
        assert teacher.full_name in result.stdout  # teachers are not pseudonymised
    listed = json.loads(cli("people", "list", "--class", ref, "--json").stdout)
    students = [p for p in listed if p["role"] == "student"]
    assert len(students) == len(pupils)
    assert all(p["name"].startswith("P-") and p["email"] is None for p in students)
    named = cli("people", "list", "--class", ref, "--names", "--json")
    emails = {p["email"] for p in json.loads(named.stdout) if p["role"] == "student"}
    assert emails == {p.email for p in pupils}
    assert "GDPR" in named.stderr
    teachers = json.loads(
        cli("people", "list", "--class", ref, "--role", "teacher", "--json").stdout
    )
    assert {p["email"] for p in teachers} == {person(city, k).email for k in klass.teacher_keys}


def test_a_pseudonym_is_the_same_in_every_output(cli: RunCli, sandbox: Sandbox) -> None:
    city = city_of(sandbox)
    klass = sample_class(city, "google")
    ref = class_ref(cli, city, klass)
    pupil = sample_pupil(city, "google")
    named = json.loads(cli("people", "list", "--class", ref, "--names", "--json").stdout)
    pseudo = json.loads(cli("people", "list", "--class", ref, "--json").stdout)
    native = next(p["id"] for p in named if p["email"] == pupil.email)
    alias = next(p["name"] for p in pseudo if p["id"] == native)
    progress = json.loads(cli("progress", "--student", pupil.email, "--json").stdout)
    assert progress["student"] == alias


@pytest.mark.parametrize("platform", ["google", "microsoft"])
def test_assignments_list_of_a_class(
    cli: RunCli, sandbox: Sandbox, platforms: set[str], platform: str
) -> None:
    if platform not in platforms:
        pytest.skip(f"{platform} tenants cannot be built from a tenants file yet")
    city = city_of(sandbox)
    klass = sample_class(city, platform)
    ref = class_ref(cli, city, klass)
    homework = [h for h in city.homework if h.class_key == klass.key]
    result = cli("assignments", "list", "--class", ref, "--json")
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    assert Counter(a["title"] for a in listed) == Counter(
        h.title for h in homework if h.state != "deleted"
    )
    drafts = cli("assignments", "list", "--class", ref, "--state", "draft", "--csv")
    rows = list(csv.DictReader(io.StringIO(drafts.stdout)))
    assert len(rows) == sum(h.state == "draft" for h in homework)
    dues = [a["due"] for a in listed if a["due"] and "T" in a["due"]]
    assert dues
    assert all(d.endswith(("+02:00", "+03:00")) for d in dues)  # Europe/Sofia


@pytest.mark.parametrize("platform", ["google", "microsoft"])
def test_submissions_list_of_one_homework(
    cli: RunCli, sandbox: Sandbox, platforms: set[str], platform: str
) -> None:
    if platform not in platforms:
        pytest.skip(f"{platform} tenants cannot be built from a tenants file yet")
    city = city_of(sandbox)
    klass = sample_class(city, platform)
    ref = class_ref(cli, city, klass)
    graded = {w.homework_key for w in city.work if w.draft_points is not None}
    homework = next(h for h in city.homework if h.class_key == klass.key and h.key in graded)
    works = [w for w in city.work if w.homework_key == homework.key]
    listed = json.loads(cli("assignments", "list", "--class", ref, "--json").stdout)
    native = next(
        a["id"]
        for a in listed
        if a["title"] == homework.title and a["max_points"] == homework.max_points
    )
    result = cli("submissions", "list", "--class", ref, "--assignment", native, "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == len(works)
    drafts = sorted(w.draft_points or 0 for w in works)
    assert sorted(r["draft_points"] or 0 for r in rows) == drafts
    assert all(r["student"].startswith("P-") for r in rows)
    for key in klass.student_keys:
        assert person(city, key).email not in result.output
    table = cli("submissions", "list", "--class", ref)
    assert table.exit_code == 0, table.stderr
    assert person(city, klass.student_keys[0]).full_name not in table.output


# -- a parent's view -----------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["google", "microsoft"])
def test_progress_shows_a_pupils_homework_and_released_grades_only(
    cli: RunCli, sandbox: Sandbox, platforms: set[str], platform: str
) -> None:
    if platform not in platforms:
        pytest.skip(f"{platform} tenants cannot be built from a tenants file yet")
    city = city_of(sandbox)
    pupil = sample_pupil(city, platform)
    expected = pupil_homework(city, pupil)
    result = cli("progress", "--student", pupil.email, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    rows = document["homework"]
    assert Counter((r["class"], r["title"]) for r in rows) == Counter(expected)
    assert document["time_zone"] == "Europe/Sofia"
    assert document["tenants"] == [tenant_of(city, pupil.school_key or "")]
    # Released grades only: the pupil has a draft grade that must not show.
    released = sorted(
        w.released_points
        for w in city.work
        if w.student_key == pupil.key and w.released_points is not None
    )
    assert sorted(r["points"] for r in rows if r["points"] is not None) == released
    assert not any("draft" in key for row in rows for key in row)
    # Pseudonymised by default (the table: see test_progress_as_a_table_with_and_without_names).
    assert document["student"].startswith("P-")
    assert "email" not in document
    assert pupil.email not in result.output
    assert pupil.full_name not in result.output


def test_progress_as_a_table_with_and_without_names(cli: RunCli, sandbox: Sandbox) -> None:
    city = city_of(sandbox)
    pupil = sample_pupil(city, "google")
    expected = pupil_homework(city, pupil)
    table = cli("progress", "--student", pupil.email)
    assert table.exit_code == 0, table.stderr
    assert f"{len(expected)} pieces of homework" in table.stdout
    assert pupil.email not in table.output
    assert pupil.full_name not in table.output
    named = cli("progress", "--student", pupil.email, "--names")
    assert named.exit_code == 0, named.stderr
    assert pupil.full_name in named.stdout
    assert "GDPR" in named.stderr
    as_csv = cli("progress", "--student", pupil.email, "--csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == len(expected)
    assert pupil.email not in as_csv.output


def test_progress_of_an_unknown_pupil_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("progress", "--student", "nobody@nowhere.example")
    assert result.exit_code == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: NotFoundError")
    assert "Traceback" not in result.stderr


# -- a teacher's grid ------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["google", "microsoft"])
def test_gradebook_matches_the_class(
    cli: RunCli, sandbox: Sandbox, platforms: set[str], platform: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    if platform not in platforms:
        pytest.skip(f"{platform} tenants cannot be built from a tenants file yet")
    city = city_of(sandbox)
    klass = sample_class(city, platform)
    ref = class_ref(cli, city, klass)
    posted = [h for h in city.homework if h.class_key == klass.key and h.state in POSTED]
    keys = {h.key for h in posted}
    drafts = sum(
        1
        for w in city.work
        if w.homework_key in keys and w.draft_points is not None and w.released_points is None
    )
    out = tmp_path / "grid.csv"
    result = cli("gradebook", "--class", ref, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Cyrillic right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows[0]) == 1 + len(posted)
    assert len(rows) == 1 + len(klass.student_keys)
    assert sum(cell.endswith("(draft)") for row in rows for cell in row) == drafts
    text = raw.decode("utf-8-sig")
    for key in klass.student_keys:
        assert person(city, key).full_name not in text
    book = tmp_path / "grid.xlsx"
    named = cli("gradebook", "--class", ref, "--names", "-o", str(book))
    assert named.exit_code == 0, named.stderr
    sheet = load_workbook(book).active
    assert sheet is not None
    assert sheet.max_row == 1 + len(klass.student_keys)
    names = {sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)}
    assert names == {person(city, key).full_name for key in klass.student_keys}
    table = cli("gradebook", "--class", ref)
    assert table.exit_code == 0, table.stderr
    assert klass.name in table.stdout
    assert "(draft)" in table.stdout


# -- errors and secrets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        "no-colon",
        "nobody.example:123",
        "su-vazov.plovdiv.example:999",
        "microsoft:su-vazov.plovdiv.example:1",
        "a:b:c:d",
    ],
)
def test_a_bad_class_ref_is_one_line_and_exit_2(run_cli: RunCli, ref: str) -> None:
    result = run_cli("assignments", "list", "--class", ref)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_debug_shows_the_traceback(run_cli: RunCli) -> None:
    result = run_cli("--debug", "gradebook", "--class", "su-vazov.plovdiv.example:999")
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "NotFoundError" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["schools", "list", "--json", "--csv"],
        ["classes", "list", "--state", "sleeping"],
        ["people", "list", "--role", "guardian"],
        ["people", "list", "--class", "a:1", "--tenant", "a"],
        ["assignments", "list", "--class", "a:1", "--state", "lost"],
        ["gradebook", "--class", "a:1", "--out", "grid.ods"],
    ],
)
def test_usage_errors_come_before_any_io(run_cli: RunCli, args: list[str]) -> None:
    # The tenants file does not even exist: the options are refused first.
    result = run_cli(*args, "--config", "/nonexistent/tenants.toml")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ValidationError")


def test_credentials_never_appear_in_any_output(
    run_cli: RunCli, cli: RunCli, sandbox: Sandbox
) -> None:
    secrets = [token for info in sandbox.tenants for token in info.tokens.values()]
    for info in sandbox.tenants:
        if info.service_account:
            secrets.append(str(info.service_account["private_key_id"]))
            key = str(info.service_account["private_key"])
            secrets += [line for line in key.splitlines() if len(line) > 40]
    assert secrets
    outputs = [
        run_cli("--debug", "tenants", "check"),
        run_cli("--debug", "-v", "classes", "list", "--json"),
        run_cli("--debug", "assignments", "list", "--class", "su-vazov.plovdiv.example:999"),
        run_cli("--debug", "people", "list", "--class", "nobody:1"),
    ]
    city = city_of(sandbox)
    klass = sample_class(city, "google")
    outputs.append(cli("gradebook", "--class", class_ref(cli, city, klass)))
    for result in outputs:
        for secret in secrets:
            assert secret not in result.output
