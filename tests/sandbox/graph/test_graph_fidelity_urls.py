"""Every path and query option the emulator serves is one msgraph-sdk can send.

The education request builders' ``url_template`` strings are read from msgraph-sdk's
sources; each emulator route (with its method) must match one template (placeholders →
one segment) whose builder has that method, and every query option the emulator honours
must be in that template's query part. Two spellings differ by design and are checked as
such: Graph's own ``@odata.nextLink``/``deltaLink`` use ``delta`` where the builders say
``delta()`` (both are accepted), and ``$skiptoken``/``$deltatoken`` only ever arrive in
those links (followed with ``builder.with_url``).
"""

from __future__ import annotations

import re
from pathlib import Path

import msgraph

from unified_edu.sandbox.graph import GraphApp

_TEMPLATE = re.compile(r'super\(\).__init__\(request_adapter, "([^"]+)"')
_METHODS = re.compile(r"async def (get|post|patch|put|delete)\(")


def _builders() -> list[tuple[re.Pattern[str], frozenset[str], frozenset[str], str]]:
    """(path regex, query option names, HTTP methods, template) per education builder."""
    root = Path(msgraph.__file__).parent / "generated" / "education"
    found = []
    for source in root.rglob("*_request_builder.py"):
        text = source.read_text(encoding="utf-8")
        match = _TEMPLATE.search(text)
        if match is None:
            continue
        template = match.group(1)
        path, _, query = template.removeprefix("{+baseurl}").partition("{?")
        names = frozenset(n.replace("%24", "$") for n in query.rstrip("}").split(",") if n)
        pattern = re.escape(path.replace("delta()", "delta"))
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        methods = frozenset(m.upper() for m in _METHODS.findall(text))
        found.append((re.compile(f"^{pattern}$"), names, methods, template))
    return found


def test_education_builders_were_found() -> None:
    templates = {t for *_, t in _builders()}
    assert len(templates) > 150
    assert (
        "{+baseurl}/education/classes/delta(){?%24count,%24expand,%24filter,%24orderby,%24search,%24select,%24skip,%24top}"
        in templates
    )


def test_every_route_matches_a_builder_with_that_method(app: GraphApp) -> None:
    builders = _builders()
    unmatched = []
    for route in app.router.routes:
        if route.template == "/$batch":
            continue  # msgraph-core's BatchRequestBuilder posts to f"{base_url}/$batch"
        sample = route.template.replace("{id}", "3c77de7f-539b-49e1-9c96-1274f2f0ee3b")
        matches = [b for b in builders if b[0].match(sample) and route.method in b[2]]
        if not matches:
            unmatched.append(f"{route.method} {route.template}")
    assert unmatched == []


def test_query_options_the_emulator_honours_are_in_the_templates(app: GraphApp) -> None:
    builders = _builders()
    honoured = {"$top", "$skip", "$select", "$expand", "$filter", "$orderby", "$count"}
    for route in app.router.routes:
        if route.method != "GET" or route.template == "/$batch":
            continue
        sample = route.template.replace("{id}", "x")
        options = set().union(*(b[1] for b in builders if b[0].match(sample)))
        is_collection = "$top" in options
        if is_collection:
            assert honoured <= options, route.template
        else:  # single entities: $select and $expand only
            assert options <= {"$select", "$expand"}, route.template
