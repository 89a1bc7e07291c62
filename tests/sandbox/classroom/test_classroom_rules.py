"""Classroom's documented rules, called directly on the tiny city: how the city is loaded,
who sees and may change what, validation, state machines and their error answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from classroom_support import G1, G2, Direct, Reply

from unified_edu.sandbox.classroom import ClassroomApp


def cid(client: Direct, name: str) -> str:
    return next(c["id"] for c in client.get("/v1/courses").json["courses"] if c["name"] == name)


def error(reply: Reply) -> tuple[int, str, str]:
    body = reply.json["error"]
    return body["code"], body["status"], body["message"]


def work_by_title(client: Direct, course: str) -> dict[str, dict[str, Any]]:
    states = ["PUBLISHED", "DRAFT", "DELETED"]
    items = client.get(f"/v1/courses/{course}/courseWork", courseWorkStates=states).json
    return {w["title"]: w for w in items.get("courseWork", [])}


def test_the_city_is_loaded_as_classroom_holds_it(admin: Direct, teacher: Direct) -> None:
    courses = {c["name"]: c for c in admin.get("/v1/courses").json["courses"]}
    assert {n: c["courseState"] for n, c in courses.items()} == {
        "Математика 5А": "ACTIVE",
        "История 6Б": "ARCHIVED",
        "Химия 7В": "PROVISIONED",
    }
    assert "calendarId" not in courses["Химия 7В"]  # never ACTIVE yet
    math = courses["Математика 5А"]["id"]
    work = work_by_title(teacher, math)
    assert {t: w["state"] for t, w in work.items()} == {
        "📐 Уравнения": "PUBLISHED",
        "Задача h2": "PUBLISHED",
        "Задача h3": "DRAFT",
        "Задача h4": "DELETED",
        "Задача h5": "PUBLISHED",  # "inactive" has no Classroom equivalent
    }
    assert work["Задача h2"]["dueDate"] == {"year": 2026, "month": 10, "day": 10}
    assert work["Задача h2"]["dueTime"] == {}  # a date-only deadline
    assert work["📐 Уравнения"]["dueTime"] == {"hours": 20, "minutes": 59}
    assert "maxPoints" not in work["Задача h3"]  # ungraded
    assert "associatedWithDeveloper" not in work["Задача h2"]  # made in the UI
    assert [next(iter(m)) for m in work["📐 Уравнения"]["materials"]] == [
        "link",
        "driveFile",
        "youtubeVideo",
        "form",
    ]
    subs = teacher.get(
        f"/v1/courses/{math}/courseWork/{work['Задача h2']['id']}/studentSubmissions"
    )
    states = sorted(s["state"] for s in subs.json["studentSubmissions"])
    assert states == ["RECLAIMED_BY_STUDENT", "RETURNED", "RETURNED", "TURNED_IN"]
    first = teacher.get(
        f"/v1/courses/{math}/courseWork/{work['📐 Уравнения']['id']}/studentSubmissions"
    )
    new = [s for s in first.json["studentSubmissions"] if s["state"] == "NEW"]
    assert new
    assert not {"creationTime", "updateTime", "submissionHistory"} & set(new[0])


def test_course_visibility(as_user: Callable[..., Direct], admin: Direct) -> None:
    chem = cid(admin, "Химия 7В")
    assert as_user(f"maria.ivanova@{G1}").get(f"/v1/courses/{chem}").status == 200  # owner
    assert as_user(f"georgi.dimitrov@{G1}").get(f"/v1/courses/{chem}").status == 404
    assert as_user(f"admin@{G2}").get(f"/v1/courses/{cid(admin, 'Математика 5А')}").status == 404
    student = as_user(f"s3@{G1}")
    assert [c["name"] for c in student.get("/v1/courses").json["courses"]] == ["Математика 5А"]
    assert "teacherFolder" not in student.get("/v1/courses").json["courses"][0]
    both = admin.get("/v1/courses", teacherId="me", studentId=f"s1@{G1}")
    assert error(both)[2].startswith("@ListCoursesStudentAndTeacherFilter ")
    teaching = admin.get("/v1/courses", teacherId=f"georgi.dimitrov@{G1}").json["courses"]
    assert {c["name"] for c in teaching} == {"Математика 5А", "История 6Б"}
    assert admin.get("/v1/courses", teacherId=f"nobody@{G1}").status == 404
    archived = admin.get("/v1/courses", courseStates="ARCHIVED").json["courses"]
    assert [c["name"] for c in archived] == ["История 6Б"]


def test_creating_and_changing_courses(
    admin: Direct, teacher: Direct, as_user: Callable[..., Direct]
) -> None:
    assert teacher.post("/v1/courses", {"name": "Без собственик"}).status == 400
    other = teacher.post("/v1/courses", {"name": "X", "ownerId": f"georgi.dimitrov@{G1}"})
    assert other.status == 403
    student = as_user(f"s1@{G1}").post("/v1/courses", {"name": "X", "ownerId": "me"})
    assert error(student)[2].startswith("@UserCannotOwnCourse ")
    url = teacher.post("/v1/courses", {"name": "Виж https://example.org", "ownerId": "me"})
    assert error(url)[:2] == (400, "FAILED_PRECONDITION")
    unknown = teacher.post("/v1/courses", {"name": "X", "ownerId": "me", "colour": "red"})
    assert 'Unknown name "colour"' in error(unknown)[2]

    made = admin.post(
        "/v1/courses", {"name": "Кръжок", "ownerId": f"maria.ivanova@{G1}", "id": "d:club"}
    ).json
    assert made["courseState"] == "PROVISIONED"
    assert admin.get("/v1/courses/d%3Aclub").json["id"] == made["id"]
    assert admin.post("/v1/courses", {"name": "Y", "ownerId": "me", "id": "d:club"}).status == 409
    path = f"/v1/courses/{made['id']}"
    assert teacher.patch(path, {"name": "Z"}).status == 400  # the mask is required
    assert teacher.patch(path, {"id": "1"}, updateMask="id").status == 400
    assert teacher.patch(path, {}, updateMask="name").status == 400  # name cannot be cleared
    changed = teacher.patch(
        path, {"courseState": "ACTIVE", "room": "301"}, updateMask="courseState,room"
    ).json
    assert (changed["courseState"], changed["room"]) == ("ACTIVE", "301")
    assert changed["calendarId"].endswith("@group.calendar.google.com")
    assert (
        error(teacher.patch(path, {"courseState": "PROVISIONED"}, updateMask="courseState"))[1]
        == "FAILED_PRECONDITION"
    )
    assert (
        teacher.patch(path, {"ownerId": f"georgi.dimitrov@{G1}"}, updateMask="ownerId").status
        == 403
    )
    ineligible = admin.patch(path, {"ownerId": f"georgi.dimitrov@{G1}"}, updateMask="ownerId")
    assert error(ineligible)[2].startswith("@IneligibleOwner ")
    history = cid(admin, "История 6Б")
    frozen = admin.patch(f"/v1/courses/{history}", {"name": "Нова"}, updateMask="name")
    assert error(frozen)[2].startswith("@CourseNotModifiable ")
    assert as_user(f"georgi.dimitrov@{G1}").delete(path).status == 404  # not a member: invisible
    assert teacher.delete(path).json == {}
    assert teacher.get(path).status == 404


def test_rosters(admin: Direct, teacher: Direct, as_user: Callable[..., Direct]) -> None:
    math = cid(admin, "Математика 5А")
    direct = teacher.post(f"/v1/courses/{math}/students", {"userId": f"s1@{G2}"})
    assert error(direct)[2].startswith("@CannotDirectAddUser ")
    assert admin.post(f"/v1/courses/{math}/students", {"userId": f"s1@{G1}"}).status == 409
    assert admin.post(f"/v1/courses/{math}/teachers", {"userId": f"s1@{G1}"}).status == 409
    assert admin.post(f"/v1/courses/{math}/students", {"userId": f"s1@{G2}"}).status == 403
    owner = admin.get(f"/v1/courses/{math}").json["ownerId"]
    kept = admin.delete(f"/v1/courses/{math}/teachers/{owner}")
    assert error(kept)[2].startswith("@CannotRemoveCourseOwner ")
    assert admin.get(f"/v1/courses/{math}/students/s9@{G1}").status == 404
    assert admin.get(f"/v1/courses/{math}/students/not-an-id").status == 400

    club = teacher.post(
        "/v1/courses", {"name": "Клуб", "ownerId": "me", "courseState": "ACTIVE"}
    ).json
    task = {"title": "Първа задача", "workType": "ASSIGNMENT", "state": "PUBLISHED"}
    teacher.post(f"/v1/courses/{club['id']}/courseWork", task)
    joining = as_user(f"s4@{G1}")
    wrong = joining.post(
        f"/v1/courses/{club['id']}/students", {"userId": "me"}, enrollmentCode="nope"
    )
    assert wrong.status == 403
    joined = joining.post(
        f"/v1/courses/{club['id']}/students",
        {"userId": "me"},
        enrollmentCode=club["enrollmentCode"],
    )
    assert joined.json["profile"]["name"]["fullName"] == "Галина Георгиева"
    mine = joining.get(f"/v1/courses/{club['id']}/courseWork/-/studentSubmissions").json
    assert [s["state"] for s in mine["studentSubmissions"]] == ["NEW"]  # assigned on joining
    assert joining.delete(f"/v1/courses/{club['id']}/students/me").status == 200


def test_coursework_rules(
    admin: Direct, teacher: Direct, student: Direct, as_user: Callable[..., Direct]
) -> None:
    math = cid(admin, "Математика 5А")
    base = f"/v1/courses/{math}/courseWork"
    task = {"title": "Задача", "workType": "ASSIGNMENT"}
    assert admin.post(base, task).status == 403  # an admin who does not teach
    assert student.post(base, task).status == 403
    for bad in (
        {"title": "", "workType": "ASSIGNMENT"},
        {"title": "x" * 3001, "workType": "ASSIGNMENT"},
        {**task, "dueDate": {"year": 2026, "month": 12, "day": 1}},
        {**task, "dueTime": {"hours": 10}},
        {**task, "maxPoints": -1},
        {**task, "maxPoints": 2.5},
        {**task, "materials": [{"form": {"formUrl": "https://forms.example/1"}}]},
        {
            **task,
            "assigneeMode": "INDIVIDUAL_STUDENTS",
            "individualStudentsOptions": {"studentIds": ["1"]},
        },
        {**task, "state": "DELETED"},
        {"title": "Без тип"},
    ):
        assert teacher.post(base, bad).status == 400, bad
    draft = teacher.post(base, {**task, "maxPoints": 10}).json
    assert draft["state"] == "DRAFT"
    assert "alternateLink" not in draft
    path = f"{base}/{draft['id']}"
    assert teacher.get(f"{path}/studentSubmissions").json == {}
    published = teacher.patch(path, {"state": "PUBLISHED"}, updateMask="state").json
    assert published["alternateLink"].startswith("https://classroom.google.com/c/")
    assert len(teacher.get(f"{path}/studentSubmissions").json["studentSubmissions"]) == 4
    assert (
        error(teacher.patch(path, {"state": "DRAFT"}, updateMask="state"))[1]
        == "FAILED_PRECONDITION"
    )
    assert teacher.patch(path, {}, updateMask="title").status == 400
    cleared = teacher.patch(path, {}, updateMask="maxPoints").json
    assert "maxPoints" not in cleared
    foreign = as_user(f"maria.ivanova@{G1}", project="another-project")
    assert error(foreign.patch(path, {"title": "Чужда"}, updateMask="title"))[2].startswith(
        "@ProjectPermissionDenied "
    )
    assert "associatedWithDeveloper" not in foreign.get(path).json
    assert teacher.delete(path).json == {}
    assert error(teacher.delete(path))[1] == "FAILED_PRECONDITION"
    assert teacher.get(path).json["state"] == "DELETED"

    ui_made = work_by_title(teacher, math)["Задача h2"]
    denied = teacher.patch(f"{base}/{ui_made['id']}", {"title": "Ново"}, updateMask="title")
    assert error(denied)[:2] == (403, "PERMISSION_DENIED")
    assert teacher.get(base, orderBy="title").status == 400
    by_due = teacher.get(base, orderBy="dueDate asc").json["courseWork"]
    assert [w["title"] for w in by_due] == ["📐 Уравнения", "Задача h5", "Задача h2"]


def test_students_see_only_published_work_assigned_to_them(
    admin: Direct, as_user: Callable[..., Direct]
) -> None:
    math = cid(admin, "Математика 5А")

    def titles(client: Direct) -> set[str]:
        states = ["PUBLISHED", "DRAFT"]
        work = client.get(f"/v1/courses/{math}/courseWork", courseWorkStates=states).json
        return {w["title"] for w in work["courseWork"]}

    assert titles(as_user(f"s1@{G1}")) == {"📐 Уравнения", "Задача h2", "Задача h5"}
    assert titles(as_user(f"s3@{G1}")) == {"📐 Уравнения", "Задача h2"}
    # A teacher whose token has only *.me coursework scopes gets the student view too.
    narrow = as_user(
        f"maria.ivanova@{G1}", scopes=frozenset({"classroom.courses", "classroom.coursework.me"})
    )
    assert "Задача h3" not in titles(narrow)


def test_submission_rules(admin: Direct, teacher: Direct, as_user: Callable[..., Direct]) -> None:
    math = cid(admin, "Математика 5А")
    s1 = as_user(f"s1@{G1}")
    everything = f"/v1/courses/{math}/courseWork/-/studentSubmissions"
    own = s1.get(everything).json["studentSubmissions"]
    me = s1.get("/v1/userProfiles/me").json["id"]
    assert {s["userId"] for s in own} == {me}
    assert all("draftGrade" not in s for s in own)
    late = teacher.get(everything, late="LATE_ONLY").json["studentSubmissions"]
    assert all(s.get("late") for s in late)
    assert len(late) == 2
    returned = teacher.get(everything, states="RETURNED").json["studentSubmissions"]
    assert len(returned) == 3
    other = next(s for s in teacher.get(everything).json["studentSubmissions"] if s["userId"] != me)
    other_path = (
        f"/v1/courses/{math}/courseWork/{other['courseWorkId']}/studentSubmissions/{other['id']}"
    )
    assert s1.get(other_path).status == 404
    new = next(s for s in own if s["state"] == "NEW" and s.get("associatedWithDeveloper"))
    path = f"/v1/courses/{math}/courseWork/{new['courseWorkId']}/studentSubmissions/{new['id']}"
    assert error(s1.post(f"{path}:reclaim"))[1] == "FAILED_PRECONDITION"
    assert error(teacher.post(f"{path}:return"))[1] == "FAILED_PRECONDITION"
    assert teacher.patch(path, {"state": "TURNED_IN"}, updateMask="state").status == 400
    assert teacher.patch(path, {"draftGrade": "9"}, updateMask="draftGrade").status == 400
    assert s1.patch(path, {"assignedGrade": 10}, updateMask="assignedGrade").status == 403
    assert s1.post(f"{path}:turnIn").json == {}
    turned = teacher.get(path).json
    assert turned["state"] == "TURNED_IN"
    assert turned["late"] is True  # the seeded deadline is long past


def test_guardian_rules(admin: Direct, teacher: Direct, as_user: Callable[..., Direct]) -> None:
    assert teacher.get("/v1/userProfiles/-/guardians").status == 403
    assert teacher.get("/v1/userProfiles/-/guardianInvitations").status == 403
    links = teacher.get(f"/v1/userProfiles/s1@{G1}/guardians").json["guardians"]
    assert len(links) == 1
    assert "invitedEmailAddress" not in links[0]  # admins only
    assert (
        teacher.get(f"/v1/userProfiles/s1@{G1}/guardians", invitedEmailAddress="x@y.z").status
        == 403
    )
    assert admin.get("/v1/userProfiles/not-an-id/guardians").status == 400
    assert admin.get(f"/v1/userProfiles/nobody@{G1}/guardians").status == 404
    g2 = as_user(f"admin@{G2}").get("/v1/userProfiles/-/guardians").json["guardians"]
    assert len(g2) == 1  # each domain sees only its own students' guardians
    assert as_user(f"s1@{G1}").get("/v1/userProfiles/me/guardians").status == 200

    base = f"/v1/userProfiles/s1@{G1}/guardianInvitations"
    assert [i["state"] for i in admin.get(base).json["guardianInvitations"]] == ["PENDING"]
    sid = admin.get(f"/v1/userProfiles/s1@{G1}").json["id"]
    duplicate = admin.post(base, {"studentId": sid, "invitedEmailAddress": "parent2@mail.example"})
    assert duplicate.status == 409
    assert (
        admin.post(base, {"studentId": sid, "invitedEmailAddress": "parent1@mail.example"}).status
        == 409
    )
    extra = {"studentId": sid, "invitedEmailAddress": "a@b.example", "invitationId": "x"}
    assert admin.post(base, extra).status == 400
    made = admin.post(base, {"studentId": sid, "invitedEmailAddress": "baba@mail.example"}).json
    path = f"{base}/{made['invitationId']}"
    assert admin.patch(path, {"state": "PENDING"}, updateMask="state").status == 400
    assert admin.patch(path, {"state": "COMPLETE"}, updateMask="state").json["state"] == "COMPLETE"
    assert (
        error(admin.patch(path, {"state": "COMPLETE"}, updateMask="state"))[1]
        == "FAILED_PRECONDITION"
    )
    both = admin.get(base, states=["PENDING", "COMPLETE"]).json["guardianInvitations"]
    assert len(both) == 2


def test_topic_and_invitation_rules(
    admin: Direct, teacher: Direct, as_user: Callable[..., Direct]
) -> None:
    math = cid(admin, "Математика 5А")
    topics = f"/v1/courses/{math}/topics"
    assert teacher.post(topics, {"name": "Тест"}).status == 409
    made = teacher.post(topics, {"name": "Нова"}).json
    renamed = teacher.patch(f"{topics}/{made['topicId']}", {"name": "Тест"}, updateMask="name")
    assert error(renamed)[1] == "FAILED_PRECONDITION"
    test_topic = next(t for t in teacher.get(topics).json["topic"] if t["name"] == "Тест")
    seeded = teacher.patch(
        f"{topics}/{test_topic['topicId']}", {"name": "Изпит"}, updateMask="name"
    )
    assert error(seeded)[2].startswith("@ProjectPermissionDenied ")  # made in the UI
    assert teacher.delete(f"{topics}/{test_topic['topicId']}").json == {}
    assert "topicId" not in work_by_title(teacher, math)["Задача h2"]

    assert teacher.get("/v1/invitations").status == 400
    member = teacher.post(
        "/v1/invitations", {"courseId": math, "userId": f"s1@{G1}", "role": "STUDENT"}
    )
    assert error(member)[1] == "FAILED_PRECONDITION"
    invite = {"courseId": math, "userId": f"s2@{G2}", "role": "STUDENT"}
    made_invitation = teacher.post("/v1/invitations", invite).json
    assert teacher.post("/v1/invitations", invite).status == 409
    accept = f"/v1/invitations/{made_invitation['id']}:accept"
    assert as_user(f"s3@{G1}").post(accept).status == 404  # not theirs to see
    assert as_user(f"s2@{G2}").get("/v1/invitations", userId="me").json["invitations"] == [
        made_invitation
    ]
    assert as_user(f"s2@{G2}").post(accept).json == {}
    students = teacher.get(f"/v1/courses/{math}/students").json["students"]
    assert f"s2@{G2}" in {s["profile"]["emailAddress"] for s in students}


def test_profiles_are_visible_to_course_mates_only(
    app: ClassroomApp, as_user: Callable[..., Direct]
) -> None:
    student = as_user(f"s1@{G1}")
    assert student.get(f"/v1/userProfiles/maria.ivanova@{G1}").status == 200  # their teacher
    assert student.get(f"/v1/userProfiles/stoyan.stoyanov@{G2}").status == 403
    assert student.get(f"/v1/userProfiles/nobody@{G1}").status == 403  # documented: not 404
