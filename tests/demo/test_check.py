"""Every calibration target, asserted on a real engine build of the shipped demo panel."""

from __future__ import annotations

import pandas as pd
import pytest

from piiplan.demo import demo_dir, demo_framework, load_demo
from piiplan.demo import summary
from piiplan.demo.check import evaluate
from piiplan.demo.generate import calibration_csv
from piiplan.demo.spec import load_spec
from piiplan.engine import build_dataset, preset
from piiplan.reports.formatting import format_number

LS = "Lạng Sơn"
HCM = "Thành phố Hồ Chí Minh"
# The targets, written out here as well so that editing demo-spec/targets.csv cannot weaken them.
PUBLISHED_SCORES = [("Hà Nội", "PII", "65.68"), (HCM, "PII", "59.33"), ("Quảng Ninh", "PII", "58.41"),
                    ("Hải Phòng", "PII", "58.09"), ("Huế", "PII", "49.37"), ("Huế", "INPUT", "51.50"),
                    ("Huế", "OUTPUT", "47.23"), ("Gia Lai", "PII", "37.66")]
PUBLISHED_RANKS = [("Hà Nội", 1), (HCM, 2), ("Quảng Ninh", 3), ("Hải Phòng", 4), ("Huế", 5),
                   ("Đồng Nai", 12), ("Gia Lai", 21), (LS, 29)]
STRENGTHS = ["5.5.2", "6.2.4", "1.2.1", "6.3.2", "1.2.4"]
WEAKNESSES = ["7.2.2", "7.2.4", "7.1.2", "4.1.4", "4.2.2"]


@pytest.fixture(scope="module")
def fw():
    return demo_framework()


@pytest.fixture(scope="module")
def ds():
    return load_demo()


@pytest.fixture(scope="module")
def res(fw, ds):
    return build_dataset(fw, ds, 2025, preset("pii"))


@pytest.mark.parametrize("unit,code,published", PUBLISHED_SCORES)
def test_published_scores_within_tolerance_and_as_displayed(res, unit, code, published):
    score = float(res.aggregated.at[unit, code])
    assert abs(score - float(published)) <= 0.05
    # the two-decimal display shows exactly the published figure
    assert format_number(score, 2) == published.replace(".", ",")


@pytest.mark.parametrize("unit,rank", PUBLISHED_RANKS)
def test_published_ranks(res, unit, rank):
    assert int(res.ranks.at[unit, "PII"]) == rank


def test_huế_pii_is_the_mean_of_input_and_output(res):
    a = res.aggregated.loc["Huế"]
    assert a["PII"] == pytest.approx((a["INPUT"] + a["OUTPUT"]) / 2)


def test_lang_son_above_the_national_mean_in_exactly_pillars_1_and_6(res):
    table = summary.pillars_vs_mean(res, LS)
    assert list(table.loc[table["above"], "code"]) == ["1", "6"]
    mean = res.aggregated.mean()
    for p in "1234567":
        assert (res.aggregated.at[LS, p] > mean[p]) == (p in "16")


def test_lang_son_strengths_and_weaknesses(res, fw):
    assert set(STRENGTHS + WEAKNESSES) <= set(fw.indicators)
    assert summary.strengths(res, LS) == STRENGTHS
    assert summary.weaknesses(res, LS) == WEAKNESSES
    ranks = res.ranks.loc[LS, fw.indicators]
    others = ranks.drop(STRENGTHS + WEAKNESSES)
    # unambiguous: no other indicator ties with a strength or a weakness
    assert others.min() > ranks[STRENGTHS].max()
    assert others.max() < ranks[WEAKNESSES].min()


def test_indicators_ranked_first(res):
    assert summary.first_count(res, "Hà Nội") == 18
    assert summary.first_count(res, HCM) == 13
    assert summary.first_count(res, "Quảng Ninh") == 7


def test_pillar_leaders(res):
    assert int(res.ranks.at[HCM, "3"]) == 1
    assert int(res.ranks.at["Hải Phòng", "1"]) == 1


@pytest.mark.parametrize("year", [2023, 2024])
def test_hà_nội_first_in_earlier_years(fw, ds, year):
    r = build_dataset(fw, ds, year, preset("pii"))
    assert int(r.ranks.at["Hà Nội", "PII"]) == 1


def test_every_target_of_the_spec_holds(fw, ds):
    cal = evaluate(ds, fw, load_spec(fw).targets)
    assert len(cal) >= 26
    assert cal["ok"].all(), cal.loc[~cal["ok"]].to_dict("records")


def test_shipped_calibration_report_is_what_the_engine_computes(fw, ds):
    cal = evaluate(ds, fw, load_spec(fw).targets)
    assert (demo_dir() / "calibration.csv").read_text(encoding="utf-8") == calibration_csv(cal)


def test_evaluate_reports_a_missed_target(fw, ds):
    # Lai Châu jumps to the top on every indicator: Hà Nội is no longer first, and the check says so.
    wide = ds.wide(2025, fw.indicators)
    wide.loc["Lai Châu"] = wide.max() * 1.5
    edited = ds.with_values(wide, 2025)
    cal = evaluate(edited, fw, load_spec(fw).targets)
    row = cal[(cal["kind"] == "rank") & (cal["unit"] == "Hà Nội") & (cal["year"] == 2025)].iloc[0]
    assert not row["ok"] and row["computed"] == "2"
    assert not cal["ok"].all()


def test_unknown_target_kind_is_an_error(fw, ds):
    bad = pd.DataFrame([{"kind": "nope", "unit": LS, "code": "PII", "year": "2025", "value": "1",
                         "tolerance": "0", "source": ""}])
    with pytest.raises(ValueError):
        evaluate(ds, fw, bad)
