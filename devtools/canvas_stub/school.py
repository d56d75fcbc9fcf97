"""The fake school the stub serves, built from the fixture files (see their NOTICE).

Courses come from the recorded Canvas instance (edulinq-real) and the canvasapi fixtures;
assignments, modules, module items and files start from the canvasapi fixtures and are given
what those hand-written records lack (due dates, submission states, content types, file
bytes, `updated_at`) so that a sync has something realistic to do.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from devtools.canvas_stub.samples import CONTENT_TYPES, make_file

Json = dict[str, Any]
TERM = {"id": 1, "name": "Fall Term", "start_at": "2026-08-24T06:00:00Z", "end_at": "2026-12-18T06:00:00Z"}
SUBMISSION_CYCLE = ("submitted", "unsubmitted", "graded", "unsubmitted")
DUE_OFFSETS_H = (30, 72, -48, 170)
# Files and modules: ids 1-4 follow the canvasapi fixtures; these are added on top.
EXTRA_FILES: dict[int, list[tuple[int, str]]] = {
    1: [(101, "Lecture 1 - Introduction.pdf"), (102, "Week 2 slides.pptx")],
    2: [(201, "Syllabus.pdf"), (202, "Problem set 1.docx")],
    110000000: [(301, "Course 101 reading.pdf")],
    3: [(401, "Lab handout.pptx")],
}
HIDDEN_FILES_TAB = {2}  # like a course that hides Files from students: reach files via modules


@dataclass
class StubFile:
    meta: Json
    kind: str
    version: int = 1
    data: bytes = b""

    def refresh(self, now: datetime) -> None:
        self.data = make_file(self.kind, self.meta["display_name"], version=self.version)
        self.meta["size"] = len(self.data)
        self.meta["updated_at"] = self.meta["modified_at"] = iso(now)


@dataclass
class School:
    courses: list[Json]
    assignments: dict[int, list[Json]] = field(default_factory=dict)
    submissions: dict[int, Json] = field(default_factory=dict)
    modules: dict[int, list[Json]] = field(default_factory=dict)
    files: dict[int, StubFile] = field(default_factory=dict)
    course_files: dict[int, list[int]] = field(default_factory=dict)
    hidden_files: set[int] = field(default_factory=set)
    inline_items_omitted: set[int] = field(default_factory=set)
    student: Json = field(default_factory=lambda: {"id": 100050000, "name": "Sam Student"})


def iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _load(path: Path) -> Json:
    loaded: Json = json.loads(path.read_text())
    return loaded


def _recorded_body(path: Path) -> Any:
    return json.loads(_load(path)["response_body"])


def build_school(fixtures: Path, *, now: datetime | None = None) -> School:
    now = now or datetime.now(UTC)
    course_fx = _load(fixtures / "canvasapi" / "course.json")
    real = fixtures / "edulinq-real"
    courses = [_as_student(c) for c in _recorded_body(real / "courses_list.httpex.json")]
    courses += [_as_student(course_fx[k]["data"][i]) for k in ("multiple", "multiple_page_2") for i in (0, 1)]
    school = School(courses=courses)
    _add_assignments(school, fixtures, course_fx, now)
    _add_modules_and_files(school, fixtures, course_fx, now)
    return school


def _as_student(course: Json) -> Json:
    course = {k: v for k, v in course.items() if k != "syllabus_body"}
    course["enrollments"] = [{"type": "student", "role": "StudentEnrollment", "enrollment_state": "active"}]
    course.setdefault("course_code", course.get("name", ""))
    return course


def _add_assignments(school: School, fixtures: Path, course_fx: Json, now: datetime) -> None:
    real = fixtures / "edulinq-real"
    recorded = _recorded_body(real / "course_110000000_assignments.httpex.json")
    school.assignments[110000000] = recorded
    for sub in _recorded_body(real / "course_110000000_student_100050000_submissions.httpex.json"):
        school.submissions[int(sub["assignment_id"])] = sub
    base = course_fx["get_all_assignments"]["data"] + course_fx["get_all_assignments2"]["data"]
    for course_id in (1, 2, 3, 4):
        listed: list[Json] = []
        for index, fixture in enumerate(base):
            assignment_id = int(fixture["id"]) + (course_id - 1) * 100
            listed.append(_assignment(fixture, assignment_id, course_id, now + timedelta(hours=DUE_OFFSETS_H[index])))
            state = SUBMISSION_CYCLE[(index + course_id) % len(SUBMISSION_CYCLE)]
            school.submissions[assignment_id] = _submission(assignment_id, state, now)
        school.assignments[course_id] = listed


def _assignment(fixture: Json, assignment_id: int, course_id: int, due: datetime) -> Json:
    return {
        **fixture,
        "id": assignment_id,
        "course_id": course_id,
        "name": f"{fixture['name']} ({assignment_id})",
        "due_at": iso(due),
        "lock_at": None,
        "unlock_at": None,
        "points_possible": 10.0,
        "published": True,
        "submission_types": ["online_upload"],
        "html_url": f"/courses/{course_id}/assignments/{assignment_id}",
        "updated_at": iso(due - timedelta(days=10)),
    }


def _submission(assignment_id: int, state: str, now: datetime) -> Json:
    submitted = state in ("submitted", "graded")
    return {
        "id": 900000 + assignment_id,
        "assignment_id": assignment_id,
        "user_id": 100050000,
        "workflow_state": state,
        "submitted_at": iso(now - timedelta(hours=5)) if submitted else None,
        "late": False,
        "missing": False,
        "excused": False,
    }


def new_file(file_id: int, name: str, course_id: int, now: datetime) -> StubFile:
    kind = name.rsplit(".", 1)[-1].lower()
    meta: Json = {
        "id": file_id,
        "uuid": uuid.uuid4().hex,
        "folder_id": 1000 + course_id,
        "display_name": name,
        "filename": name.replace(" ", "+"),
        "content-type": CONTENT_TYPES.get(kind, "application/octet-stream"),
        "created_at": iso(now - timedelta(days=30)),
        "locked": False,
        "hidden": False,
        "locked_for_user": False,
        "hidden_for_user": False,
        "mime_class": {"pdf": "pdf", "docx": "doc", "pptx": "ppt"}.get(kind, "file"),
        "thumbnail_url": None,
    }
    stub_file = StubFile(meta=meta, kind=kind)
    stub_file.refresh(now - timedelta(days=30))
    return stub_file


def _add_modules_and_files(school: School, fixtures: Path, course_fx: Json, now: datetime) -> None:
    listed = course_fx["list_course_files"]["data"] + course_fx["list_course_files2"]["data"]
    school.course_files[1] = []
    for fixture in listed:
        stub_file = new_file(int(fixture["id"]), str(fixture["display_name"]), 1, now)
        school.files[stub_file.meta["id"]] = stub_file
        school.course_files[1].append(stub_file.meta["id"])
    for course_id, extra in EXTRA_FILES.items():
        ids = school.course_files.setdefault(course_id, [])
        for file_id, name in extra:
            school.files[file_id] = new_file(file_id, name, course_id, now)
            ids.append(file_id)
    school.hidden_files |= HIDDEN_FILES_TAB
    module_fx = _module_items(fixtures)
    modules = course_fx["list_modules"]["data"] + course_fx["list_modules2"]["data"]
    school.modules[1] = [
        _module(modules[0], [*module_fx, _file_item(1001, 101, school)]),
        _module(modules[1], [_file_item(1002, 102, school), _file_item(1003, 4, school)]),
        _module(modules[2], [_file_item(1004, 1, school), _item(1005, "Page", "Reading guide", None)]),
        _module(modules[3], [_item(1006, "SubHeader", "Extras", None), _item(1007, "ExternalUrl", "Library", None)]),
    ]
    school.inline_items_omitted.add(int(modules[2]["id"]))
    school.modules[2] = [
        _module({"id": 20, "name": "Week 1"}, [_file_item(2001, 201, school), _file_item(2002, 202, school)])
    ]
    school.modules[110000000] = [_module({"id": 30, "name": "Readings"}, [_file_item(3001, 301, school)])]
    school.modules[3] = [_module({"id": 40, "name": "Labs"}, [_file_item(4001, 401, school)])]


def _module_items(fixtures: Path) -> list[Json]:
    data: dict[str, Any] = json.loads((fixtures / "canvasapi" / "module.json").read_text())
    items: list[Json] = data["list_module_items"]["data"] + data["list_module_items2"]["data"]
    return [{**item, "content_id": item["id"], "module_id": 1} for item in items]


def _module(fixture: Json, items: list[Json]) -> Json:
    module_id = int(fixture["id"])
    for position, item in enumerate(items, start=1):
        item.setdefault("position", position)
        item["module_id"] = module_id
    return {
        "id": module_id,
        "name": fixture["name"],
        "position": fixture.get("position", 1),
        "workflow_state": "active",
        "items_count": len(items),
        "items": items,
    }


def _item(item_id: int, kind: str, title: str, content_id: int | None) -> Json:
    return {"id": item_id, "type": kind, "title": title, "content_id": content_id, "indent": 0}


def _file_item(item_id: int, file_id: int, school: School) -> Json:
    item = _item(item_id, "File", str(school.files[file_id].meta["display_name"]), file_id)
    item["url"] = f"/api/v1/files/{file_id}"  # made absolute by the server
    return item
