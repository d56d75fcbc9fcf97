"""Modules, module items and files of the fake school (ids 1-4 follow the canvasapi fixtures)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shared.canvas.stub.school import Json, School, new_file

EXTRA_FILES: dict[int, list[tuple[int, str]]] = {
    1: [(101, "Lecture 1 - Introduction.pdf"), (102, "Week 2 slides.pptx")],
    2: [(201, "Syllabus.pdf"), (202, "Problem set 1.docx")],
    110000000: [(301, "Course 101 reading.pdf")],
    3: [(401, "Lab handout.pptx")],
}
HIDDEN_FILES_TAB = {2}  # like a course that hides Files from students: reach files via modules


def add_modules_and_files(school: School, fixtures: Path, course_fx: Json, now: datetime) -> None:
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
    import json

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
