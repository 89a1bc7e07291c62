"""The capabilities a provider may declare."""

from __future__ import annotations

import enum

__all__ = ["Capability"]


class Capability(enum.StrEnum):
    """One thing a provider can do. Unsupported ones fail before any I/O."""

    READ_SCHOOLS = "read_schools"
    READ_CLASSES = "read_classes"
    READ_PEOPLE = "read_people"
    READ_ENROLLMENTS = "read_enrollments"
    READ_GUARDIANS = "read_guardians"
    READ_CATEGORIES = "read_categories"
    READ_ASSIGNMENTS = "read_assignments"
    READ_SUBMISSIONS = "read_submissions"
    READ_RUBRICS = "read_rubrics"
    WRITE_CLASSES = "write_classes"
    WRITE_ENROLLMENTS = "write_enrollments"
    WRITE_CATEGORIES = "write_categories"
    WRITE_ASSIGNMENTS = "write_assignments"
    PUBLISH_ASSIGNMENTS = "publish_assignments"
    GRADE = "grade"
    FEEDBACK = "feedback"
    RETURN = "return"
    EXCUSE = "excuse"
    REASSIGN = "reassign"
    INVITE_GUARDIANS = "invite_guardians"
