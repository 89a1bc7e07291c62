"""Google Classroom through unified_edu, against the embedded sandbox.

Starts the loopback sandbox (the seeded city, Classroom's real wire format and quotas),
builds a provider from one school's service-account key with domain-wide delegation,
then reads the school, sets homework, grades it and returns it. Nothing leaves the
machine. Run it with::

    python examples/google_sandbox.py

Against real Google, only the provider line changes::

    provider = GoogleClassroomProvider.from_service_account_file(
        "service-account.json", admin="admin@school.example"
    )
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from unified_edu import AssignmentSpec, Material, MaterialKind, Role, SubmissionState
from unified_edu.providers.google import GoogleClassroomProvider
from unified_edu.sandbox import Sandbox


def main() -> None:
    with Sandbox.start(seed=2026, scale=1) as sandbox:
        school = next(t for t in sandbox.tenants if t.platform == "google")
        assert school.service_account is not None
        provider = GoogleClassroomProvider.from_service_account_info(
            school.service_account,
            admin=school.admin,  # impersonated for rosters; teachers for their homework
            endpoint=sandbox.google_endpoint,
            school_name="СУ „Иван Вазов“",
            time_zone="Europe/Sofia",
        )
        with provider:
            run(provider)
            stats = provider.stats
            print(
                f"\n{stats.calls} Classroom calls in {stats.http_requests} HTTP requests "
                f"({stats.batches} batches of at most {stats.largest_batch})"
            )


def run(provider: GoogleClassroomProvider) -> None:
    for school in provider.list_schools():
        print(f"School: {school.name} ({school.ref.id})")
    classes = provider.list_classes()
    print(f"{len(classes)} classes")
    class_ids = [c.ref.id for c in classes]

    # Multi-class reads are batched (50 calls per HTTP request) and streamed.
    students = sum(1 for e in provider.iter_enrollments(class_ids) if e.role is Role.STUDENT)
    print(f"{students} student enrollments")

    # Only homework created by this app's developer project can be graded through the
    # API: find turned-in work on such homework, grade it and return it to the student.
    gradable = {
        a.ref.id: a
        for a in provider.iter_assignments(class_ids)
        if a.created_by_this_app and a.max_points
    }
    waiting = [
        s
        for s in provider.iter_submissions(class_ids)
        if s.state is SubmissionState.TURNED_IN and s.assignment_id in gradable
    ]
    print(f"{len(waiting)} submissions waiting to be graded")
    work = waiting[0]
    item = gradable[work.assignment_id]
    assert item.max_points is not None
    provider.set_grade(work.class_id, item.ref.id, work.ref.id, points=item.max_points - 1)
    done = provider.return_submission(work.class_id, item.ref.id, work.ref.id)
    assert done.released_grade is not None
    print(
        f"Returned {item.title!r} to student {done.student_id} with "
        f"{done.released_grade.points:g}/{item.max_points:g}"
    )

    # New homework is created as the class's teacher (impersonated for the call).
    homework = provider.create_assignment(
        work.class_id,
        AssignmentSpec(
            title="Есе: „Под игото“, глава I",
            instructions="До една страница.",
            due=dt.datetime(2026, 12, 4, 23, 59, tzinfo=ZoneInfo("Europe/Sofia")),
            max_points=10,
            materials=(
                Material(kind=MaterialKind.LINK, url="https://bg.wikisource.org/wiki/Под_игото"),
            ),
        ),
    )
    assert isinstance(homework.due, dt.datetime)
    print(f"Created {homework.title!r}, due {homework.due:%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
