"""Schools by organisational unit: the ``org_units`` table, against the sandbox Directory.

The city is the small scenario school plus a second school (``g3``) in the *same*
Workspace domain, with its own teacher owning one class: the sandbox puts teachers of
``gN`` in ``/Schools/gN/Teachers`` (``org_unit_path``), so one domain holds two OUs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from google_scenario import DOMAIN, scenario_city
from google_support import delegated, tenant

from unified_edu import Class, ConfigurationError, PermissionDeniedError, get_provider_class
from unified_edu.config import load_config
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.sandbox import Sandbox
from unified_edu.sandbox._city import City
from unified_edu.sandbox.classroom import ClassroomApp, org_unit_path

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

DIRECTORY_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly"
BOTEV = "СУ „Христо Ботев“"
PAISIY = "ОУ „Паисий Хилендарски“"
G1 = org_unit_path("g1")  # /Schools/g1
G3 = org_unit_path("g3")
# Classes by owner: c1 (t1) and c2 (t2) in g1, c3 (t3) in g3.
G1_CLASSES = {"Математика 7А", "История 7А"}
G3_CLASSES = {"Физика 8Б"}


def two_school_city() -> City:
    """The scenario city plus school g3 in the same domain: teacher t3 owns class c3."""
    city = scenario_city()
    g1, t1, c1 = city.schools[0], city.people[1], city.classes[0]
    assert (g1.key, t1.key, c1.key) == ("g1", "t1", "c1")
    school = attrs.evolve(g1, key="g3", name=PAISIY, external_id="1603")
    teacher = attrs.evolve(t1, key="t3", school_key="g3", email=f"petya.stoyanova@{DOMAIN}")
    klass = attrs.evolve(c1, key="c3", school_key="g3", name="Физика 8Б", teacher_keys=("t3",))
    return attrs.evolve(
        city,
        schools=(*city.schools, school),
        people=(*city.people, teacher),
        classes=(*city.classes, klass),
    )


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    city = two_school_city()
    with Sandbox.start(city=city, apps=[ClassroomApp(city)]) as sb:
        yield sb


def names_by_school(provider: GoogleClassroomProvider) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for klass in provider.iter_classes():
        found.setdefault(str(klass.school_id), set()).add(klass.name)
    return found


def directory_calls(provider: GoogleClassroomProvider) -> int:
    return provider.stats.by_method.get("directory.users.list", 0)


def test_without_org_units_there_is_one_school_and_no_directory_call(sandbox: Sandbox) -> None:
    with delegated(sandbox) as provider:
        assert [s.ref.id for s in provider.list_schools()] == [DOMAIN]
        assert names_by_school(provider) == {DOMAIN: G1_CLASSES | G3_CLASSES}
        assert directory_calls(provider) == 0
        assert DIRECTORY_SCOPE not in (provider._transport.auth.scopes or ())


def test_each_configured_org_unit_is_a_school_plus_the_domain(sandbox: Sandbox) -> None:
    with delegated(sandbox, org_units={G1: BOTEV, G3 + "/": PAISIY}) as provider:
        schools = provider.list_schools()
        assert [(s.ref.id, s.name) for s in schools] == [
            (G1, BOTEV),
            (G3, PAISIY),  # the trailing slash is normalised away
            (DOMAIN, DOMAIN),
        ]
        assert schools[0].extra == {"domain": DOMAIN, "org_unit_path": G1}
        assert directory_calls(provider) == 0  # schools alone cost nothing
        assert DIRECTORY_SCOPE in (provider._transport.auth.scopes or ())


def test_classes_belong_to_their_owners_org_unit(sandbox: Sandbox) -> None:
    with delegated(sandbox, org_units={G1: BOTEV, G3: PAISIY}) as provider:
        assert names_by_school(provider) == {G1: G1_CLASSES, G3: G3_CLASSES}
        physics = next(c for c in provider.iter_classes() if c.name in G3_CLASSES)
        assert provider.get_class(physics.ref.id).school_id == G3


def test_the_longest_configured_path_wins(sandbox: Sandbox) -> None:
    teachers = org_unit_path("g1", "teacher")  # /Schools/g1/Teachers
    units = {"/Schools": "Всички", G1: BOTEV, teachers: "Учители на Ботев"}
    with delegated(sandbox, org_units=units) as provider:
        assert names_by_school(provider) == {teachers: G1_CLASSES, "/Schools": G3_CLASSES}


def test_owners_outside_every_org_unit_stay_in_the_domain_school(sandbox: Sandbox) -> None:
    # "/Schools/g" is no path segment of "/Schools/g3": it must not match.
    with delegated(sandbox, org_units={G3: PAISIY, "/Schools/g": "Няма"}) as provider:
        assert names_by_school(provider) == {DOMAIN: G1_CLASSES, G3: G3_CLASSES}


def test_iter_classes_filters_by_the_mapped_school(sandbox: Sandbox) -> None:
    with delegated(sandbox, org_units={G3: PAISIY}) as provider:
        assert {c.name for c in provider.iter_classes(school_id=G3)} == G3_CLASSES
        assert {c.name for c in provider.iter_classes(school_id=DOMAIN)} == G1_CLASSES
        assert list(provider.iter_classes(school_id=G1)) == []  # not configured


def test_the_directory_is_listed_once_per_provider(sandbox: Sandbox) -> None:
    with delegated(sandbox, org_units={G1: BOTEV, G3: PAISIY}) as provider:
        provider.list_classes()
        provider.list_classes(school_id=G3)
        snapshot_classes = [item for item in provider.iter_snapshot() if isinstance(item, Class)]
        assert {c.school_id for c in snapshot_classes} == {G1, G3}
        assert directory_calls(provider) == 1
        # The Directory has its own quota: Classroom's limiters never saw the call.
        assert provider.stats.by_method["classroom.courses.list"] >= 3


def test_the_directory_listing_follows_every_page(sandbox: Sandbox) -> None:
    # The domain has 9 users; 2 per page (500 in production) makes 5 pages.
    with delegated(sandbox, org_units={G3: PAISIY}) as provider:
        provider._directory_page_size = 2
        assert names_by_school(provider) == {DOMAIN: G1_CLASSES, G3: G3_CLASSES}
        assert directory_calls(provider) == 5


def test_a_token_without_the_directory_scope_is_a_permission_error(sandbox: Sandbox) -> None:
    info = tenant(sandbox)
    token = sandbox.issue_token(
        "google", DOMAIN, info.admin, scopes=frozenset({"classroom.courses.readonly"})
    )
    with (
        GoogleClassroomProvider.from_token(
            token, tenant=DOMAIN, endpoint=sandbox.google_endpoint, org_units={G3: PAISIY}
        ) as provider,
        pytest.raises(PermissionDeniedError),
    ):
        provider.list_classes()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({}, "non-empty table"),
        ("/Schools", "non-empty table"),
        ({"Schools/A": "A"}, "starts with /"),
        ({"/Schools/A": ""}, "non-empty string"),
        ({"/Schools/A": 3}, "non-empty string"),
        ({"/Schools/A": "A", "/Schools/A/": "B"}, "listed twice"),
    ],
)
def test_bad_org_units_are_configuration_errors(table: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        GoogleClassroomProvider.from_token("t", tenant=DOMAIN, org_units=table)  # type: ignore[arg-type]
    assert caught.value.field is not None
    assert caught.value.field.startswith("options.org_units")
    assert caught.value.tenant == DOMAIN


def _tenants_file(path: Path, token_file: Path, endpoint: str, org_units: str) -> Path:
    path.write_text(
        f"""
[city]
name = "Пловдив"
time_zone = "Europe/Sofia"

[[tenants]]
name = "{DOMAIN}"
provider = "google"
endpoint = "{endpoint}"
school_name = "{BOTEV}"

[tenants.credentials]
kind = "token"
file = "{token_file}"

{org_units}
""",
        encoding="utf-8",
    )
    return path


def test_the_tenants_file_declares_org_units(sandbox: Sandbox, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(sandbox.issue_token("google", DOMAIN, tenant(sandbox).admin))
    table = f'[tenants.options.org_units]\n"{G3}" = "{PAISIY}"\n'
    config = load_config(
        _tenants_file(tmp_path / "t.toml", token_file, sandbox.google_endpoint, table)
    )
    with get_provider_class("google").from_config(config.tenants[0], config.city) as provider:
        assert [s.name for s in provider.list_schools()] == [PAISIY, BOTEV]
        assert names_by_school(provider) == {DOMAIN: G1_CLASSES, G3: G3_CLASSES}


def test_a_bad_org_units_table_in_the_file_names_tenant_and_field(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("x")
    table = '[tenants.options.org_units]\n"Schools/A" = "A"\n'
    config = load_config(
        _tenants_file(tmp_path / "t.toml", token_file, sandbox.google_endpoint, table)
    )
    with pytest.raises(ConfigurationError, match="starts with /") as caught:
        get_provider_class("google").from_config(config.tenants[0], config.city)
    assert caught.value.tenant == DOMAIN
    assert caught.value.field == "options.org_units.'Schools/A'"
