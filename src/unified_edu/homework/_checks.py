"""The checks a homework plan passes before any write, and how problems are listed.

Owns the platforms' documented limits (:data:`LIMITS`), what the credentials allow
(capabilities, and Graph app-only's refusal to attach links and categories), the title
rule of "already there" (:func:`same_title`) and :class:`Problems`, which groups the
same problem in many classes into one line.

This module must not import any platform client.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from unified_edu.models import AssignmentSpec
from unified_edu.providers.base import Capability, Provider

__all__ = [
    "LIMITS",
    "PLATFORM_NAMES",
    "RETURNS_TURNED_IN_ONLY",
    "Problems",
    "can_attach",
    "check_platform",
    "check_publish",
    "check_spec",
    "same_title",
]

#: Limits a platform documents for homework, checked before any write. Graph documents
#: none for an assignment's name or instructions.
LIMITS: dict[str, dict[str, int]] = {
    # Classroom reference §2: CourseWork title 1–3000, description ≤ 30,000, ≤ 20
    # materials, Link.url 1–2024 characters; §2.6: a topic name ≤ 100 characters.
    "google": {
        "title": 3000,
        "instructions": 30_000,
        "materials": 20,
        "link": 2024,
        "category": 100,
    },
}
#: Platforms whose API returns only work that was turned in (Classroom: returning
#: never-submitted work gives 400 FAILED_PRECONDITION, reference §3.2).
RETURNS_TURNED_IN_ONLY = frozenset({"google"})
PLATFORM_NAMES = {"google": "Google Classroom", "microsoft": "Microsoft 365 (Graph)"}


def same_title(a: str, b: str) -> bool:
    """Titles are the same when equal after trimming and collapsing white space."""
    return " ".join(a.split()) == " ".join(b.split())


class Problems:
    """Problems grouped by message, each naming the classes it concerns."""

    def __init__(self) -> None:
        self._found: dict[str, list[str]] = {}

    def add(self, message: str, where: str | None = None) -> None:
        places = self._found.setdefault(message, [])
        if where is not None and where not in places:
            places.append(where)

    def lines(self) -> list[str]:
        out = []
        for message, places in self._found.items():
            if not places:
                out.append(message)
            elif len(places) == 1:
                out.append(f"{places[0]}: {message}")
            else:
                shown = ", ".join(places[:5]) + (
                    f" and {len(places) - 5} more" if len(places) > 5 else ""
                )
                out.append(f"{message} ({len(places)} classes: {shown})")
        return out

    def __bool__(self) -> bool:
        return bool(self._found)


def check_spec(spec: AssignmentSpec, problems: Problems) -> None:
    for material in spec.materials:
        parts = urlsplit(material.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.add(f"not a web link (http or https): {material.url!r}")


def check_platform(
    provider: Provider,
    spec: AssignmentSpec,
    label: str,
    problems: Problems,
    *,
    category: str | None = None,
) -> None:
    """Limits the platform documents, and what the credentials allow."""
    platform = PLATFORM_NAMES.get(provider.name, provider.name)
    limits = LIMITS.get(provider.name, {})
    texts = (("title", spec.title), ("instructions", spec.instructions), ("category", category))
    for field, value in texts:
        if value is not None and field in limits and len(value) > limits[field]:
            problems.add(
                f"the {field} is {len(value):,} characters; {platform} allows at most "
                f"{limits[field]:,}",
                label,
            )
    for material in spec.materials:
        if "link" in limits and len(material.url) > limits["link"]:
            problems.add(
                f"a link is {len(material.url):,} characters; {platform} allows at most "
                f"{limits['link']:,}",
                label,
            )
    if "materials" in limits and len(spec.materials) > limits["materials"]:
        problems.add(
            f"{len(spec.materials)} links; {platform} allows at most {limits['materials']}",
            label,
        )
    if (
        provider.name == "google"
        and spec.max_points is not None
        and not float(spec.max_points).is_integer()
    ):
        problems.add(f"{platform} takes whole points only (got {spec.max_points:g})", label)
    for capability in (
        Capability.READ_CLASSES,
        Capability.READ_ASSIGNMENTS,
        Capability.WRITE_ASSIGNMENTS,
    ):
        if not provider.supports(capability):
            reason = provider.unsupported_reason(capability)
            problems.add(
                f"cannot {capability.value.replace('_', ' ')}: {reason}".rstrip(": "), label
            )
    if spec.materials and not can_attach(provider):
        problems.add(
            f"{platform} lets these credentials create homework but not attach links "
            "(Graph app-only permissions); sign in as a teacher (delegated) or leave the "
            "links out",
            label,
        )


def can_attach(provider: Provider) -> bool:
    """Whether the credentials may attach links and categories to new homework.

    Graph refuses both with application permissions (reference §3.1). No capability
    says so yet, so the Microsoft provider's public ``mode`` is read here.
    """
    return getattr(provider, "mode", None) != "app_only"


def check_publish(provider: Provider, label: str, problems: Problems) -> None:
    if not provider.supports(Capability.PUBLISH_ASSIGNMENTS):
        reason = provider.unsupported_reason(Capability.PUBLISH_ASSIGNMENTS)
        problems.add(
            f"cannot publish: {reason or 'the credentials do not allow it'}. Create drafts "
            "that a teacher publishes (--allow-drafts, allow_drafts=True), or use "
            "credentials that can publish",
            label,
        )
