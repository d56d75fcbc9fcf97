"""One course of a sync: the course row, its assignments (with submission state), its modules."""

from __future__ import annotations

import uuid

from shared.canvas.adapters.models import Assignment, Course, Module, ModuleItem
from shared.canvas.contracts import SyncResult
from shared.canvas.store.content import (
    AssignmentFields,
    CourseFields,
    ItemFields,
    delete_missing,
    upsert_assignment,
    upsert_course,
    upsert_module,
    upsert_module_item,
)
from shared.canvas.sync.ports import SyncPorts


def save_course(ports: SyncPorts, *, user_id: uuid.UUID, course: Course, result: SyncResult) -> uuid.UUID:
    with ports.pool.connection() as conn:
        saved = upsert_course(
            conn,
            user_id=user_id,
            canvas_id=course.id,
            fields=CourseFields(
                name=course.name or f"Course {course.id}",
                course_code=course.course_code,
                term=course.term.name if course.term else None,
                workflow_state=course.workflow_state,
                start_date=course.start_date,
                end_date=course.end_date,
            ),
        )
    result.counts.courses += 1
    result.counts.courses_changed += int(saved.changed)
    return saved.id


def sync_assignments(
    ports: SyncPorts, *, user_id: uuid.UUID, course: Course, course_id: uuid.UUID, result: SyncResult
) -> None:
    params: dict[str, str | list[str]] = {"include[]": ["submission"], "per_page": str(ports.per_page)}
    listed = [Assignment.model_validate(a) for a in ports.client.paginate(f"courses/{course.id}/assignments", params)]
    with ports.pool.connection() as conn:
        for assignment in listed:
            submission = assignment.submission
            fields = AssignmentFields(
                name=assignment.name,
                due_at=assignment.due_at,
                html_url=assignment.html_url,
                submitted=submission.done if submission else False,
                submission_state=submission.workflow_state if submission else None,
                submitted_at=submission.submitted_at if submission else None,
                points_possible=assignment.points_possible,
                canvas_updated_at=assignment.updated_at,
            )
            saved = upsert_assignment(
                conn, user_id=user_id, course_id=course_id, canvas_id=assignment.id, fields=fields
            )
            result.counts.assignments_changed += int(saved.changed)
        keep = [a.id for a in listed]
        result.counts.removed += delete_missing(conn, "assignments", user_id=user_id, scope_id=course_id, keep=keep)
    result.counts.assignments += len(listed)


def sync_modules(
    ports: SyncPorts, *, user_id: uuid.UUID, course: Course, course_id: uuid.UUID, result: SyncResult
) -> set[int]:
    """Modules and their items; returns the Canvas ids of the files the modules link to."""
    params: dict[str, str | list[str]] = {"include[]": ["items", "content_details"], "per_page": str(ports.per_page)}
    modules = [Module.model_validate(m) for m in ports.client.paginate(f"courses/{course.id}/modules", params)]
    items: dict[int, list[ModuleItem]] = {}
    for module in modules:
        if module.items is None:  # Canvas may leave items out when there are many: ask for them
            path = f"courses/{course.id}/modules/{module.id}/items"
            fetched = ports.client.paginate(path, {"per_page": str(ports.per_page)})
            items[module.id] = [ModuleItem.model_validate(i) for i in fetched]
        else:
            items[module.id] = module.items
    removed = 0
    with ports.pool.connection() as conn:
        for module in modules:
            saved = upsert_module(
                conn,
                user_id=user_id,
                course_id=course_id,
                canvas_id=module.id,
                name=module.name,
                position=module.position,
            )
            for item in items[module.id]:
                fields = ItemFields(item.type, item.title, item.position, item.content_id, item.html_url)
                upsert_module_item(conn, user_id=user_id, module_id=saved.id, canvas_id=item.id, fields=fields)
            kept = [i.id for i in items[module.id]]
            removed += delete_missing(conn, "canvas_module_items", user_id=user_id, scope_id=saved.id, keep=kept)
        keep = [m.id for m in modules]
        removed += delete_missing(conn, "canvas_modules", user_id=user_id, scope_id=course_id, keep=keep)
    result.counts.removed += removed
    result.counts.modules += len(modules)
    result.counts.module_items += sum(len(listed) for listed in items.values())
    return {i.content_id for listed in items.values() for i in listed if i.type == "File" and i.content_id}
