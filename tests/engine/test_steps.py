"""Each pipeline step's methods on small hand-computed examples."""

import math

import numpy as np
import pandas as pd
import pytest

from piiplan.engine import Framework, Recipe, build, load_framework, preset
from piiplan.engine.aggregate import aggregate_level
from piiplan.engine.denominate import denominate
from piiplan.engine.impute import impute
from piiplan.engine.normalise import normalise
from piiplan.engine.rank import rank_within
from piiplan.engine.screen import screen

nan = np.nan


def test_denominate_with_scale_and_zero_denominator():
    X = np.array([[10.0, 5.0], [20.0, 6.0], [30.0, 7.0]])
    den = pd.DataFrame({"pop": [1000.0, 0.0, 3000.0]})
    out, used = denominate(X, ["a", "b"], den, {"a": "pop"}, {"a": 10_000})
    np.testing.assert_allclose(out[:, 0], [100.0, nan, 100.0])
    np.testing.assert_array_equal(out[:, 1], X[:, 1])
    assert used == {"a": "pop"}


def test_screen_threshold_and_forced_units():
    X = np.array([[1, 2, 3, 4], [1, nan, nan, 4], [nan, nan, nan, 1.0]])
    keep, avail = screen(X, ["A", "B", "C"], threshold=0.5)
    assert keep.tolist() == [True, True, False]
    np.testing.assert_allclose(avail, [1.0, 0.5, 0.25])
    keep, _ = screen(X, ["A", "B", "C"], threshold=0.5, include=["C"], exclude=["A"])
    assert keep.tolist() == [False, True, True]


@pytest.mark.parametrize("method,expected", [
    ("mean", [2.0, 3.0]), ("median", [2.0, 3.0]),
])
def test_impute_indicator_mean_and_median(method, expected):
    X = np.array([[1.0, nan], [nan, 3.0], [3.0, 3.0]])
    out = impute(X, method)
    assert out[1, 0] == expected[0] and out[0, 1] == expected[1]


def test_impute_group_mean_uses_own_group_only():
    X = np.array([[1.0], [3.0], [nan], [10.0], [nan]])
    g = np.array(["N", "N", "N", "S", "S"], dtype=object)
    out = impute(X, "group_mean", groups=g)
    assert out[2, 0] == 2.0 and out[4, 0] == 10.0


def test_impute_panel_latest_and_linear():
    X = np.array([[nan], [5.0]])
    hist = [(2023, np.array([[1.0], [nan]])), (2024, np.array([[2.0], [nan]]))]
    assert impute(X, "panel_latest", history=hist)[0, 0] == 2.0
    assert impute(X, "panel_linear", history=hist, year=2025)[0, 0] == pytest.approx(3.0)
    assert np.isnan(impute(X, "none", history=hist)[0, 0])


def test_normalise_methods():
    X = np.array([[1.0], [2.0], [3.0], [5.0]])
    d = np.array([1.0])
    np.testing.assert_allclose(normalise(X, d, "minmax")[:, 0], [0, 25, 50, 100])
    np.testing.assert_allclose(normalise(X, -d, "minmax")[:, 0], [100, 75, 50, 0])
    z = normalise(X, d, "zscore", mean=10, sd=2)[:, 0]
    assert z.mean() == pytest.approx(10) and z.std(ddof=1) == pytest.approx(2)
    np.testing.assert_allclose(normalise(X, d, "rank")[:, 0], [1, 2, 3, 4])
    np.testing.assert_allclose(normalise(X, d, "prank")[:, 0], [0, 100 / 3, 200 / 3, 100])
    np.testing.assert_allclose(normalise(X, d, "fracmax")[:, 0], [20, 40, 60, 100])
    np.testing.assert_allclose(normalise(X, d, "goalposts", lo=np.array([2.0]), hi=np.array([4.0]))[:, 0],
                               [0, 0, 50, 100])
    np.testing.assert_allclose(normalise(X, d, "dist2target", target=np.array([3.0]))[:, 0], [0, 50, 100, 100])


def test_aggregate_methods_and_coverage():
    S = np.array([[4.0, 16.0, nan]])
    W = np.ones((3, 1))
    assert aggregate_level(S, W, "amean")[0, 0] == 10.0
    assert aggregate_level(S, W, "gmean")[0, 0] == pytest.approx(8.0)
    assert aggregate_level(S, W, "hmean")[0, 0] == pytest.approx(2 / (1 / 4 + 1 / 16))
    assert aggregate_level(S, W, "genmean", p=2)[0, 0] == pytest.approx(math.sqrt((16 + 256) / 2))
    assert np.isnan(aggregate_level(S, W, "amean", min_coverage=0.7)[0, 0])
    assert aggregate_level(S, W, "amean", min_coverage=0.6)[0, 0] == 10.0
    with pytest.raises(ValueError, match="Trung bình nhân cần mọi điểm dương"):
        aggregate_level(np.array([[0.0, 1.0]]), np.ones((2, 1)), "gmean")


def test_rank_within_groups():
    X = np.array([[5.0], [3.0], [4.0], [1.0]])
    out = rank_within(X, np.array(["a", "a", "b", "b"], dtype=object))
    np.testing.assert_array_equal(out[:, 0], [1, 2, 1, 2])


def test_pii_framework_builds_with_input_output_and_efficiency():
    fw = load_framework("pii-2025")
    rng = np.random.default_rng(3)
    units = [f"T{i}" for i in range(34)]
    data = pd.DataFrame(rng.gamma(2.0, 10.0, size=(34, len(fw.indicators))), index=units, columns=fw.indicators)
    res = build(fw, data, "pii")
    agg = res.aggregated
    inputs = [c for c in fw.children("INPUT")]
    assert inputs == ["1", "2", "3", "4", "5"] and fw.children("OUTPUT") == ["6", "7"]
    np.testing.assert_allclose(agg["INPUT"], agg[inputs].mean(axis=1))
    np.testing.assert_allclose(agg["PII"], (agg["INPUT"] + agg["OUTPUT"]) / 2)
    np.testing.assert_allclose(res.efficiency, agg["OUTPUT"] / agg["INPUT"])
    assert set(res.ranks["PII"]) == set(range(1, 35))
    # national mean, explanation contributions add up to the unit's score
    assert res.mean()["PII"] == pytest.approx(agg["PII"].mean())
    info = res.explain("T0", "PII")
    assert sum(c["points"] for c in info["children"]) == pytest.approx(info["score"])


def test_explain_indicator_contributions_sum_to_the_index():
    fw = load_framework("pii-2025")
    rng = np.random.default_rng(4)
    data = pd.DataFrame(rng.gamma(2.0, 10.0, size=(10, 52)), index=list("ABCDEFGHIJ"), columns=fw.indicators)
    data.iloc[0, 3] = nan
    res = build(fw, data, "pii")
    total = 0.0
    for code in fw.indicators:
        info = res.explain("A", code)
        pii = [c for c in info["contributions"] if c["code"] == "PII"][0]
        total += pii["points"] or 0.0
        if code == fw.indicators[3]:
            assert info["trail"][0]["value"] is None and pii["weight_share"] is None
    assert total == pytest.approx(res.aggregated.at["A", "PII"])


def test_framework_yaml_nested_and_list(tmp_path):
    nested = tmp_path / "tree.yaml"
    nested.write_text(
        "code: IDX\nname_vi: Chỉ số\nweight: 1\nchildren:\n"
        "  - {code: a, name_vi: A, direction: 1, weight: 1}\n"
        "  - {code: b, name_vi: B, direction: -1, weight: 2}\n", encoding="utf-8")
    fw = Framework.from_yaml(nested)
    assert fw.indicators == ["a", "b"] and fw.root == "IDX" and fw.levels == 2
    flat = tmp_path / "list.yaml"
    flat.write_text("nodes:\n  - {code: '1.1', parent: '1', direction: 1, weight: 1}\n"
                    "  - {code: '1', parent: null, weight: 1}\n", encoding="utf-8")
    assert Framework.read(flat).indicators == ["1.1"]


def test_framework_roundtrip_csv(tmp_path):
    fw = load_framework("pii-2025")
    path = tmp_path / "copy.csv"
    fw.to_csv(path)
    again = Framework.from_csv(path)
    assert again.fingerprint == fw.fingerprint
    assert again.indicators == fw.indicators
    assert all(isinstance(c, str) for c in again.indicators) and "1.2.1" in again.indicators


def test_recipe_set_and_errors():
    r = preset("pii").set("treat.winmax", 3)
    assert r.step("treat")["winmax"] == 3 and preset("pii").step("treat")["winmax"] == -1
    r2 = preset("coinr").set("screen.threshold", 0.8)
    assert [s["step"] for s in r2.steps] == ["screen", "treat", "normalise", "aggregate"]
    assert Recipe.from_json(r2.to_json()).to_dict() == r2.to_dict()
    from piiplan.engine import RecipeError

    with pytest.raises(RecipeError, match="Bước «x» không tồn tại"):
        Recipe([{"step": "x"}])
    with pytest.raises(RecipeError, match="Bước chuẩn hoá phải đứng trước bước tổng hợp"):
        Recipe([{"step": "aggregate"}, {"step": "normalise"}])


def test_weights_override_changes_only_what_it_should():
    fw = load_framework("pii-2025")
    rng = np.random.default_rng(5)
    data = pd.DataFrame(rng.gamma(2.0, 10.0, size=(12, 52)), index=[f"U{i}" for i in range(12)],
                        columns=fw.indicators)
    a = build(fw, data, "pii")
    b = build(fw, data, preset("pii").set("aggregate.weights", {"1": 3}))
    np.testing.assert_allclose(a.aggregated["1"], b.aggregated["1"])
    expected = (3 * a.aggregated["1"] + a.aggregated[["2", "3", "4", "5"]].sum(axis=1)) / 7
    np.testing.assert_allclose(b.aggregated["INPUT"], expected)


def test_users_read_the_vietnamese_source():
    fw = load_framework("pii-2025")
    assert all(fw.source_of(c) for c in fw.indicators)
    assert fw.source_of("1.2.1") == fw.nodes.at["1.2.1", "source_vi"] != fw.nodes.at["1.2.1", "source"]
