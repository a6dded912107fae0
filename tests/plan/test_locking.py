"""Two people editing the same task at once: the second save is refused with a Vietnamese message and the
first person's update is kept (optimistic locking on ``Task.version``)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections
from django.urls import reverse

from piiplan.web.audit.models import AuditEntry
from piiplan.web.plan.forms import TaskForm
from piiplan.web.plan.models import Task
from piiplan.web.plan.services import ConflictError, save_task


def form_data(task, **changes):
    data = {"number": task.number, "indicators": task.indicators, "content": task.content,
            "lead_agency": task.lead_agency_id, "coordinating_agencies": [a.pk for a in task.coordinating_agencies.all()],
            "all_communes": task.all_communes, "coordinating_other": task.coordinating_other, "output": task.output,
            "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "", "recurrence": task.recurrence,
            "status": task.status, "percent": task.percent, "status_note": task.status_note, "version": task.version}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def test_two_concurrent_edits_through_the_views(client_for, world):
    task = world.task_a
    admin, staff = client_for("dost_admin"), client_for("dost_staff")
    # Both open the edit form at version 1 ...
    assert admin.get(reverse("plan:task_edit", kwargs={"pk": task.pk})).status_code == 200
    assert staff.get(reverse("plan:task_edit", kwargs={"pk": task.pk})).status_code == 200
    first = admin.post(reverse("plan:task_edit", kwargs={"pk": task.pk}),
                       form_data(task, output="Sản phẩm do quản trị viên sửa"))
    assert first.status_code == 302
    # ... the second save, based on the same version, is refused and changes nothing.
    second = staff.post(reverse("plan:task_edit", kwargs={"pk": task.pk}),
                        form_data(task, content="Nội dung do cán bộ sửa"))
    assert second.status_code == 409
    page = second.content.decode()
    assert "vừa được admin cập nhật" in page and "Thay đổi của bạn chưa được lưu" in page
    assert "Sản phẩm do quản trị viên sửa" in page  # the conflict panel shows what the other person saved
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.output == "Sản phẩm do quản trị viên sửa" and fresh.content == task.content
    assert fresh.version == 2
    # The form kept the user's input at the new version: saving again now goes through, nothing lost.
    third = staff.post(reverse("plan:task_edit", kwargs={"pk": task.pk}),
                       form_data(fresh, content="Nội dung do cán bộ sửa"))
    assert third.status_code == 302
    final = Task.objects.get(pk=task.pk)
    assert final.content == "Nội dung do cán bộ sửa" and final.output == "Sản phẩm do quản trị viên sửa"
    actions = list(AuditEntry.objects.filter(object_type="plan.task", object_id=str(task.pk)).values_list("action", flat=True))
    assert actions.count("task_update") == 2


def test_agency_status_update_and_dost_edit_conflict(client_for, world):
    task = world.task_a
    ok = client_for("agency").post(reverse("plan:task_status", kwargs={"pk": task.pk}),
                                   {"status": "in_progress", "percent": 30, "version": 1})
    assert ok.status_code == 302
    stale = client_for("dost_staff").post(reverse("plan:task_edit", kwargs={"pk": task.pk}), form_data(task, percent=0))
    assert stale.status_code == 409
    assert Task.objects.get(pk=task.pk).percent == 30


@pytest.mark.postgres  # SQLite's shared-cache test database locks whole tables instead of waiting
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_from_threads_exactly_one_wins(personas):
    from tests.plan.world import make_world

    world = make_world(personas)
    task = Task.objects.get(pk=world.task_a.pk)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(text):
        close_old_connections()
        try:
            mine = Task.objects.get(pk=task.pk)
            barrier.wait(timeout=10)
            save_task(None, mine, {"output": text}, 1)
            outcomes.append("saved:" + text)
        except ConflictError as exc:
            assert "chưa được lưu" in str(exc)
            outcomes.append("conflict")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "saved"]
    winner = next(o for o in outcomes if o.startswith("saved")).split(":")[1]
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.output == winner and fresh.version == 2


def test_task_form_rejects_both_deadline_and_recurrence(world):
    form = TaskForm(form_data(world.task_a, recurrence="quarterly"), instance=world.task_a)
    assert not form.is_valid()
    assert "Chọn thời hạn hoặc định kỳ" in str(form.errors)
