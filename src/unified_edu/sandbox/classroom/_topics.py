"""``courses.topics``: list, get, create, patch, delete.

Rules (discovery doc ``Topic`` and method descriptions, reference §2.6): names are
trimmed and inner whitespace collapsed, must be non-empty and at most 100 characters,
and are unique per course (case-sensitive): a duplicate is ALREADY_EXISTS on create and
FAILED_PRECONDITION on patch; a course holds at most 200 topics
(``@CourseTopicLimitReached``); only the developer project that created a topic may
patch it. Deleting a topic leaves its courseWork without a topic.

This module must not import any platform client.
"""

from __future__ import annotations

from typing import Any

from unified_edu.sandbox.classroom import _wire as wire
from unified_edu.sandbox.classroom._access import Call, listing
from unified_edu.sandbox.classroom._errors import (
    PROJECT_PERMISSION_DENIED,
    already_exists,
    failed_precondition,
    invalid_argument,
    not_found,
    permission_denied,
)
from unified_edu.sandbox.classroom._routing import Route, scopes
from unified_edu.sandbox.classroom._store import Course, Topic

__all__ = ["ROUTES"]

_FIELDS = ("courseId", "name", "topicId", "updateTime")
_TOPIC_LIMIT = 200  # Help Center: topics per class


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid_argument()
    name = " ".join(value.split())
    if not name or len(name) > 100:
        raise invalid_argument()
    return name


def _topic(call: Call, course: Course) -> Topic:
    topic = call.store.topics.get(call.params["id"])
    if topic is None or topic.course_id != course.id:
        raise not_found()
    return topic


def _staff_course(call: Call) -> Course:
    course = call.course()
    if not call.is_staff(course):
        raise permission_denied()
    return course


def list_topics(call: Call) -> dict[str, Any]:
    """``GET v1/courses/{courseId}/topics``."""
    course = call.course()
    page, token = call.page(call.store.topics_of(course.id), lambda t: (t.seq,))
    return listing("topic", [wire.topic(t) for t in page], token)


def get_topic(call: Call) -> dict[str, Any]:
    """``GET v1/courses/{courseId}/topics/{id}``."""
    return wire.topic(_topic(call, call.course()))


def create_topic(call: Call) -> dict[str, Any]:
    """``POST v1/courses/{courseId}/topics``."""
    course = _staff_course(call)
    name = _name(call.checked_body(_FIELDS, "topic").get("name"))
    existing = call.store.topics_of(course.id)
    if any(t.name == name for t in existing):
        raise already_exists()
    if len(existing) >= _TOPIC_LIMIT:
        raise failed_precondition("CourseTopicLimitReached", "The course has too many topics.")
    topic = Topic(
        id=call.env.mint.numeric("topic", call.env.mint.fresh_key()),
        course_id=course.id,
        name=name,
        update_time=call.now(),
        project=call.project,
    )
    return wire.topic(call.store.add_topic(topic))


def patch_topic(call: Call) -> dict[str, Any]:
    """``PATCH v1/courses/{courseId}/topics/{id}?updateMask=name``."""
    course = _staff_course(call)
    topic = _topic(call, course)
    if topic.project != call.project:
        raise permission_denied(PROJECT_PERMISSION_DENIED)
    call.mask(("name",))
    name = _name(call.checked_body(_FIELDS, "topic").get("name"))
    if any(t.name == name and t.id != topic.id for t in call.store.topics_of(course.id)):
        raise failed_precondition()
    topic.name = name
    topic.update_time = call.now()
    return wire.topic(topic)


def delete_topic(call: Call) -> dict[str, Any]:
    """``DELETE v1/courses/{courseId}/topics/{id}``."""
    course = _staff_course(call)
    topic = _topic(call, course)
    del call.store.topics[topic.id]
    for work in call.store.work_of(course.id):
        if work.topic_id == topic.id:
            work.topic_id = ""
    return {}


_BASE = "v1/courses/{courseId}/topics"
_READ = scopes("topics", "topics.readonly")
_WRITE = scopes("topics")
_ID = "classroom.courses.topics."
ROUTES = (
    Route(_ID + "list", "GET", _BASE, _READ, list_topics),
    Route(_ID + "get", "GET", _BASE + "/{id}", _READ, get_topic),
    Route(_ID + "create", "POST", _BASE, _WRITE, create_topic),
    Route(_ID + "patch", "PATCH", _BASE + "/{id}", _WRITE, patch_topic),
    Route(_ID + "delete", "DELETE", _BASE + "/{id}", _WRITE, delete_topic),
)
