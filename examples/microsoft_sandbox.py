"""Microsoft 365 Education through unified_edu, against the embedded Graph sandbox.

Runs offline: it starts the loopback sandbox (the seeded city's Microsoft schools), then

1. reads the tenant app-only (schools, classes, one class's roster and homework), and
2. as a signed-in teacher (a delegated token): creates and publishes homework, grades a
   submission, adds feedback and returns it, so that the student sees the grade.

Against a real tenant, build the providers with ``MicrosoftEducationProvider.
from_client_secret(...)`` and ``.from_device_code(...)`` instead (see docs/microsoft.md).

    python examples/microsoft_sandbox.py
"""

from __future__ import annotations

import datetime as dt

from unified_edu import AssignmentSpec, Capability, Role
from unified_edu.providers.microsoft import MicrosoftEducationProvider
from unified_edu.sandbox import Sandbox


def main() -> None:
    with Sandbox.start(seed=2026, scale=1) as sb:
        tenant = next(t for t in sb.tenants if t.platform == "microsoft")
        print(f"Graph sandbox at {sb.graph_base_url}, tenant {tenant.tenant}")

        # 1. App-only (client credentials in production): the whole roster.
        with MicrosoftEducationProvider.from_token(
            tenant.tenant, tenant.tokens["app"], base_url=sb.graph_base_url
        ) as app:
            schools = app.list_schools()
            classes = app.list_classes()
            print(f"{len(schools)} schools, {len(classes)} classes")
            first = classes[0]
            roster = app.list_enrollments(first.ref.id)
            students = [e for e in roster if e.role is Role.STUDENT]
            homework = app.list_assignments(first.ref.id)
            print(f"{first.name}: {len(students)} students, {len(homework)} pieces of homework")
            print(f"app-only can publish: {app.supports(Capability.PUBLISH_ASSIGNMENTS)}")
            print(f"app-only requests: {app.request_counts()}")

        # 2. Delegated (a teacher's device-code sign-in in production): publish and grade.
        with MicrosoftEducationProvider.from_token(
            tenant.tenant, tenant.tokens["teacher"], base_url=sb.graph_base_url
        ) as teacher:
            class_id = teacher.list_classes()[0].ref.id
            spec = AssignmentSpec(
                title="Прочетете „Под игото“, глава I",
                instructions="Отговорете на въпросите в края на главата.",
                due=dt.date(2027, 3, 2),  # ends 23:59:59 Sofia time
                max_points=10,
            )
            assignment = teacher.create_assignment(class_id, spec)
            print(f"published: {assignment.title!r} ({assignment.state}, due {assignment.due})")
            submission = teacher.list_submissions(class_id, assignment_id=assignment.ref.id)[0]
            teacher.set_grade(class_id, assignment.ref.id, submission.ref.id, points=9)
            teacher.set_feedback(class_id, assignment.ref.id, submission.ref.id, text="Отлично!")
            returned = teacher.return_submission(class_id, assignment.ref.id, submission.ref.id)
            grade = returned.released_grade
            assert grade is not None
            print(f"returned: {grade.points:g}/{grade.max_points:g} — {grade.feedback}")
            print(f"teacher requests: {teacher.request_counts()}")
        print(f"sandbox saw: {sb.stats().http_requests} HTTP requests, {sb.stats().calls} calls")


if __name__ == "__main__":
    main()
