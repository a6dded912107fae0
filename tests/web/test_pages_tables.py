"""The plain tables behind the pages (pages/tables.py) and the plan target (pages/target.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from piiplan.web.pages import tables
from piiplan.web.pages.target import rank_target
from tests.web.pages_helpers import HOME, engine_results


def test_tree_order_visits_every_code_once_parents_first():
    fw = engine_results().framework
    order = tables.tree_order(fw)
    assert order[0] == fw.root and sorted(order) == sorted(fw.nodes.index)
    position = {c: i for i, c in enumerate(order)}
    for code in order[1:]:
        assert position[fw.parent(code)] < position[code]


def test_level_options_are_the_aggregates():
    fw = engine_results().framework
    options = tables.level_options(fw)
    assert [o["code"] for o in options][:3] == ["PII", "INPUT", "1"]
    assert len(options) == len(fw.nodes) - len(fw.indicators)
    assert tables.level_label(fw, "1") == "Trụ cột" and tables.level_label(fw, "1.1") == "Nhóm chỉ số"
    assert tables.level_label(fw, "1.1.1") == "Chỉ số" and tables.level_label(fw, "INPUT") == "Chỉ số thành phần"


def test_ranking_puts_missing_scores_last_in_both_directions():
    res = engine_results()
    code = next(c for c in res.framework.indicators if res.aggregated[c].isna().any())
    parent = res.framework.parent(code)
    for descending in (False, True):
        table = tables.ranking(res, parent, sort=code, descending=descending)
        values = [r["values"][code] for r in table["rows"]]
        present = [v for v in values if v is not None]
        assert values[len(present):] == [None] * (len(values) - len(present))
        assert present == sorted(present, reverse=descending)


@given(st.lists(st.sampled_from(["Đà Nẵng", "Điện Biên", "Cà Mau", "Cao Bằng", "An Giang", "Ánh", "Bắc Ninh",
                                 "Huế", "Hà Nội", "Hải Phòng", "Zeta"]), min_size=2, max_size=8))
def test_vi_sort_key_orders_by_letters_without_marks(names):
    ordered = sorted(names, key=tables.vi_sort_key)
    bases = [tables.vi_sort_key(n)[0] for n in ordered]
    assert bases == sorted(bases)
    if "Điện Biên" in names and "Zeta" in names:
        assert ordered.index("Điện Biên") < ordered.index("Zeta")


def test_explain_trail_has_vietnamese_stages_and_contributions():
    res = engine_results()
    trail = tables.explain_trail(res, HOME, "2.1.1")
    assert [s["label"] for s in trail["trail"]][0] == "Số liệu thô"
    assert trail["trail"][-1]["label"] == "Điểm chuẩn hoá (0–100)"
    shares = [c["share"] for c in trail["contributions"]]
    assert shares == sorted(shares, reverse=True)           # the share shrinks going up the tree
    assert trail["contributions"][-1]["code"] == "PII"


def test_indicator_sheet_labels_every_confidence_in_vietnamese():
    fw = engine_results().framework
    labels = {tables.indicator_sheet(fw, c)["confidence_label"] for c in fw.indicators}
    assert labels == {"đã xác nhận", "xác nhận tên", "suy luận", "tạm thời"}


def test_profile_rows_carry_marks_and_raw_values_only_on_indicators():
    from piiplan.analysis.profile import strengths_weaknesses

    res = engine_results()
    rows = tables.profile(res, HOME, tables.marks(res, HOME, *strengths_weaknesses(res, HOME)))
    assert all(r["value"] is None for r in rows if not r["indicator"])
    assert sum(r["value"] is not None for r in rows) == res.stage("raw").loc[HOME].notna().sum()
    assert sum(r["mark"] == "strength" for r in rows) == 5 + 3
    assert sum(r["mark"] == "weakness" for r in rows) == 5 + 3


# ---- the plan target ---------------------------------------------------------------------------
def test_target_is_the_configured_gain_and_the_gap_to_the_holder(settings):
    settings.PIIPLAN_TARGET_RANK_GAIN = 4
    res = engine_results()
    t = rank_target(res, HOME)
    rank = int(res.ranks.at[HOME, "PII"])
    assert (t["rank"], t["target"], t["gain"], t["source"]) == (rank, rank - 4, 4, "cấu hình")
    assert res.ranks.at[t["holder"], "PII"] == rank - 4
    assert t["gap"] == pytest.approx(res.aggregated.at[t["holder"], "PII"] - res.aggregated.at[HOME, "PII"])
    assert t["gap"] > 0 and not t["reached"]


@pytest.mark.parametrize("gain", [0, 1, 3, 40])
def test_target_never_goes_above_first_place(settings, gain):
    settings.PIIPLAN_TARGET_RANK_GAIN = gain
    res = engine_results()
    t = rank_target(res, "Huế")
    assert t["target"] == max(1, int(res.ranks.at["Huế", "PII"]) - gain)
    assert t["reached"] == (t["gap"] == 0.0) == (gain == 0)


def test_target_when_the_score_would_tie(settings):
    # Ties share the lowest rank: matching the holder's score reaches the target.
    settings.PIIPLAN_TARGET_RANK_GAIN = 1
    res = engine_results()
    t = rank_target(res, HOME)
    assert np.isclose(t["score"] + t["gap"], t["holder_score"])
