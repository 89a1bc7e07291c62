"""Graph's per-call fast paths against the plain code they replace: route resolution by
path length, and the memory of verified tokens."""

from __future__ import annotations

import datetime as dt

from unified_edu.sandbox.graph import _routes
from unified_edu.sandbox.graph._app import GraphApp
from unified_edu.sandbox.graph._errors import GraphError
from unified_edu.sandbox.graph._tokens import TokenIssuer


def _linear_resolve(
    routes: list[_routes.Route], method: str, segments: list[str]
) -> tuple[str, tuple[str, ...]] | int:
    """Router.resolve as a plain scan of every route: the template and keys, or the
    error status."""
    found = [(r, p) for r in routes if (p := r.match(segments)) is not None]
    if not found:
        return 400
    for_method = [(r, p) for r, p in found if r.method == method]
    if not for_method:
        return 405
    route, params = max(for_method, key=lambda rp: rp[0].specificity)
    return route.template, params


def _resolve(
    router: _routes.Router, method: str, segments: list[str]
) -> tuple[str, tuple[str, ...]] | int:
    try:
        route, params = router.resolve(method, segments)
    except GraphError as exc:
        return exc.status
    return route.template, params


def test_routes_resolve_as_a_scan_of_the_whole_table(app: GraphApp) -> None:
    router = app.router
    paths = {tuple(r.template.strip("/").split("/")) for r in router.routes}
    probes: list[list[str]] = []
    for parts in paths:
        keyed = ["k" if p == "{id}" else p for p in parts]
        probes += [keyed, [*keyed, "delta"], [*keyed, "nope"], keyed[:-1]]
        probes.append(["delta" if p == "{id}" else p for p in parts])
    for segments in probes:
        for method in ("GET", "POST", "PATCH", "DELETE"):
            expected = _linear_resolve(router.routes, method, segments)
            assert _resolve(router, method, segments) == expected, (method, segments)


def test_a_remembered_token_still_has_to_be_the_same_token(app: GraphApp) -> None:
    issuer = app.tokens
    token = app.tenant_infos()[0].tokens["app"]
    first = issuer.verify(token)
    assert first is not None
    assert issuer.verify(token) == first
    head, claims, signature = token.split(".")
    forged = f"{head}.{claims}.{signature[:-2]}AA"
    assert issuer.verify(forged) is None
    other = TokenIssuer(
        seed=1,
        tenant=issuer.tenant,
        tenant_id=issuer.tenant_id,
        app_id=issuer.app_id,
        issued_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        resolve_user=lambda subject: None,
    )
    assert other.verify(token) is None  # another key: the memory is per issuer
