"""Pseudonyms, class references, flat records and the tenants check."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

from unified_edu.client import Municipality
from unified_edu.config import CityConfig, Config, Credentials
from unified_edu.errors import (
    AuthenticationError,
    ConfigurationError,
    ValidationError,
)
from unified_edu.models import (
    Assignment,
    Class,
    Grade,
    Person,
    Ref,
    Role,
    Submission,
    SubmissionState,
)
from unified_edu.reports._pseudonym import ENV_KEY, Pseudonymizer
from unified_edu.views import (
    Labeler,
    assignment_records,
    check_tenants,
    class_records,
    format_class_ref,
    parse_class_ref,
    people_records,
    pseudonymizer_for,
    split_class_ref,
    status_record,
    submission_records,
    to_csv_text,
    to_json_text,
)

SOFIA = ZoneInfo("Europe/Sofia")
KEY = Pseudonymizer(b"k" * 32)


def ref(id_: str, tenant: str = "su-vazov.plovdiv.example") -> Ref:
    return Ref(provider="google", tenant=tenant, id=id_)


PUPIL = Person(ref=ref("101"), name="Благой Ангелов", role=Role.STUDENT, email="Blagoy@X.example")
TEACHER = Person(ref=ref("7"), name="Маргарита Стефанова", role=Role.TEACHER, email="m@x.example")


# -- pseudonyms -------------------------------------------------------------------------------


def test_pupils_get_stable_pseudonyms_teachers_their_names() -> None:
    labeler = Labeler(KEY)
    alias = labeler.name(PUPIL, tenant="t", person_id="101")
    assert alias.startswith("P-")
    assert alias == KEY.alias("blagoy@x.example")  # keyed by e-mail, any case
    assert labeler.email(PUPIL) is None
    assert labeler.name(TEACHER, tenant="t", person_id="7") == TEACHER.name
    assert labeler.email(TEACHER) == TEACHER.email
    # Without a profile: keyed by tenant and id; a guardian is hidden too.
    assert labeler.name(None, tenant="t", person_id="9", role=Role.STUDENT) == KEY.alias("t:9")
    assert labeler.hides(Role.GUARDIAN)
    assert not Labeler().hides(Role.STUDENT)
    assert Labeler().name(PUPIL, tenant="t", person_id="101") == PUPIL.name
    with pytest.raises(ValueError, match="real names"):
        Labeler().alias("t", "1")


def test_the_key_comes_from_the_city_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    key_file = tmp_path / "keys" / "pseudonym.key"
    city = CityConfig(pseudonym_key_file=key_file)
    first = pseudonymizer_for(city).alias("a@b.example")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert pseudonymizer_for(city).alias("a@b.example") == first  # stable across runs
    monkeypatch.setenv(ENV_KEY, "ab" * 32)
    assert pseudonymizer_for(city).alias("a@b.example") != first
    assert Labeler.for_city(city, names=True).pseudonymizer is None


# -- class references ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["x", "a:b:c:d", ":1", "tenant:", " : "])
def test_a_malformed_class_reference(text: str) -> None:
    with pytest.raises(ValidationError):
        split_class_ref(text)


def test_class_references_round_trip(city: Municipality) -> None:
    tenant = city.tenants[0]
    provider = city.provider(tenant).name
    parsed = parse_class_ref(city, f"{tenant}:42")
    assert parsed == Ref(provider=provider, tenant=tenant, id="42")
    assert parse_class_ref(city, f"{provider}:{tenant}:42") == parsed
    assert parse_class_ref(city, str(parsed)) == parsed
    assert format_class_ref(parsed) == f"{tenant}:42"
    with pytest.raises(ConfigurationError, match="no tenant"):
        parse_class_ref(city, "nowhere.example:42")
    other = "microsoft" if provider == "google" else "google"
    with pytest.raises(ValidationError, match="is on"):
        parse_class_ref(city, f"{other}:{tenant}:42")


# -- records -------------------------------------------------------------------------------------


def test_records_are_flat_and_in_the_citys_zone() -> None:
    klass = Class(
        ref=ref("55"), name="Математика 7А", created_at=dt.datetime(2026, 9, 1, 6, tzinfo=dt.UTC)
    )
    columns, rows = class_records([klass], SOFIA)
    assert rows[0]["ref"] == "su-vazov.plovdiv.example:55"
    assert rows[0]["created_at"] == "2026-09-01T09:00+03:00"
    assert list(rows[0]) == columns
    homework = [
        Assignment(ref=ref("1"), class_id="55", title="Есе", due=dt.date(2026, 10, 2)),
        Assignment(
            ref=ref("2"),
            class_id="55",
            title="Тест",
            due=dt.datetime(2026, 11, 20, 21, 59, tzinfo=dt.UTC),
        ),
        Assignment(ref=ref("3"), class_id="55", title="Без срок"),
    ]
    _, rows = assignment_records(homework, SOFIA)
    assert [r["due"] for r in rows] == ["2026-10-02", "2026-11-20T23:59+02:00", None]
    text = to_json_text(rows)
    assert "Есе" in text
    assert json.loads(text) == rows


def test_people_and_submission_records_hide_pupils() -> None:
    labeler = Labeler(KEY)
    columns, rows = people_records([PUPIL, TEACHER], labeler)
    assert [r["role"] for r in rows] == ["teacher", "student"]
    assert rows[1]["name"].startswith("P-")
    assert rows[1]["email"] is None
    submission = Submission(
        ref=ref("s1"),
        class_id="55",
        assignment_id="1",
        student_id="101",
        state=SubmissionState.TURNED_IN,
        draft_grade=Grade(points=8, max_points=10),
    )
    columns, rows = submission_records(
        [submission], SOFIA, labeler, people={"101": PUPIL}, titles={"1": "Есе"}
    )
    assert "student_email" not in columns
    assert rows[0]["student"] == labeler.name(PUPIL, tenant="t", person_id="101")
    assert rows[0]["draft_points"] == 8
    assert rows[0]["released_points"] is None
    out = to_csv_text(columns, rows)
    assert "Благой" not in out
    assert next(csv.DictReader(io.StringIO(out)))["assignment"] == "Есе"
    named_columns, named = submission_records(
        [submission], SOFIA, Labeler(), people={"101": PUPIL}, titles={}
    )
    assert "student_email" in named_columns
    assert named[0]["student"] == "Благой Ангелов"


# -- the tenants check ---------------------------------------------------------------------


def test_every_sandbox_tenant_passes(config: Config) -> None:
    results = check_tenants(config)
    assert [r.tenant for r in results] == [t.name for t in config.tenants]
    assert all(r.ok for r in results), [r.reason for r in results]
    for result in results:
        record = status_record(result)
        assert record["status"] == "ok"
        assert record["capabilities"]
        if result.provider == "microsoft":
            assert result.mode == "app_only"
            assert result.narrowed
            assert all(why for _, why in result.missing)


def test_each_failure_stays_with_its_tenant(config: Config, tmp_path: Path) -> None:
    token = tmp_path / "bad.token"
    token.write_text("not-a-token", encoding="utf-8")
    good = config.tenants[0]
    bad = attrs.evolve(good, credentials=Credentials(kind="token", fields={"file": str(token)}))
    unknown = attrs.evolve(good, name="ghost.example", provider="nope")
    results = check_tenants(attrs.evolve(config, tenants=(good, bad, unknown)), workers=1)
    assert [r.ok for r in results] == [True, False, False]
    assert isinstance(results[1].error, AuthenticationError)
    assert isinstance(results[2].error, ConfigurationError)
    assert results[2].capabilities == frozenset()
    assert results[1].reason.startswith("AuthenticationError:")
    assert "\n" not in results[1].reason
    assert status_record(results[2])["error"].startswith("ConfigurationError")
