from datetime import date

import pytest

from piiplan.reports.loading import load
from piiplan.reports.model import DocumentHeader, IndicatorRow, TaskProgress, pillar_task_counts


def test_load_converts_dates_and_numbers():
    h = load(DocumentHeader, {"date": "2026-06-20", "subject": "x", "recipients": ["UBND tỉnh"]})
    assert h.date == date(2026, 6, 20) and h.recipients == ["UBND tỉnh"]
    r = load(IndicatorRow, {"code": "1.1.1", "name": "a", "target": "Đạt trung bình", "current_value": 3})
    assert r.target == "Đạt trung bình" and r.current_value == 3.0


def test_load_rejects_unknown_fields():
    with pytest.raises(ValueError, match="trường không hợp lệ: ngay"):
        load(DocumentHeader, {"ngay": "2026-06-20", "subject": "x"})


def test_status_labels_and_pillar_counts():
    tasks = [TaskProgress("A", ["1.1.1"], "t", "hoàn thành"), TaskProgress("A", ["1.2.1", "7.1.1"], "t", "overdue"),
             TaskProgress("B", ["7.2.1"], "t", "Đang thực hiện")]
    counts = pillar_task_counts(tasks)
    assert (counts["1"].done, counts["1"].overdue, counts["1"].total) == (1, 1, 2)
    assert counts["7"].in_progress == 1
    with pytest.raises(ValueError, match="Trạng thái nhiệm vụ không hợp lệ"):
        TaskProgress("A", [], "t", "xong rồi").status_code
