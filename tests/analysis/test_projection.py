import numpy as np
import pandas as pd
import pytest

from piiplan.analysis.projection import project, project_data
from piiplan.engine.data import Dataset

from conftest import panel_dataset, small_framework


def _panel(values: dict[int, list[list[float]]], fw):
    units = pd.DataFrame({"name": ["A", "B", "C", "D", "E"]}, index=pd.Index(list("ABCDE"), name="unit"))
    rows = []
    for y, X in values.items():
        for i, u in enumerate(units.index):
            for j, c in enumerate(fw.indicators):
                rows.append({"unit": u, "indicator": c, "year": y, "value": X[i][j]})
    return Dataset(units, pd.DataFrame(rows))


def test_linear_and_compound_trends():
    fw = small_framework(2, 2)
    a = [[10, 100], [20, 50], [30, 5], [40, 8], [50, -1]]
    b = [[12, 110], [21, 55], [30, 6], [44, 9], [50, 1]]
    c = [[14, 121], [np.nan, 60.5], [30, 7], [48, 10], [50, 3]]
    ds = _panel({2023: a, 2024: b, 2025: c}, fw)
    lin = project_data(fw, ds, 2025, "linear")
    comp = project_data(fw, ds, 2025, "compound")
    c1, c2 = fw.indicators
    assert lin.at["A", c1] == pytest.approx(16.0)            # +2 a year
    assert lin.at["B", c1] == pytest.approx(23.0)            # line through 2023, 2024 read at 2026
    assert comp.at["A", c2] == pytest.approx(133.1)          # +10 % a year
    assert comp.at["B", c2] == pytest.approx(66.55)
    assert comp.at["E", c2] == pytest.approx(lin.at["E", c2])    # a value ≤ 0: linear fallback
    assert lin.at["C", c1] == pytest.approx(30.0)


def test_projected_ranks_with_and_without_plan():
    rng = np.random.default_rng(2)
    fw = small_framework(4, 2)
    vals = {y: (rng.normal(50, 10, (5, 4)) + t).tolist() for t, y in enumerate((2023, 2024, 2025))}
    ds = _panel(vals, fw)
    p0 = project(fw, ds, 2025, "coinr")
    last = p0.table["rank_linear"].idxmax()
    plan = {last: {c: 100.0 for c in fw.indicators}}
    p = project(fw, ds, 2025, "coinr", plan=plan)
    assert p.target_year == 2026
    assert p.table.at[last, "rank_linear_plan"] == 1
    assert p.table.at[last, "rank_linear"] == p0.table.at[last, "rank_linear"]
    assert set(p.table.columns) >= {"score", "rank", "score_compound", "rank_compound_plan"}
    assert p.to_dict()["units"][0]["unit"] in list("ABCDE")


def test_one_year_has_no_trend():
    rng = np.random.default_rng(4)
    fw = small_framework(3, 2, [1, 1, -1])
    ds = panel_dataset(rng, fw, n_units=6, years=(2025,))
    with pytest.raises(ValueError, match="một năm"):
        project(fw, ds, 2025, "coinr")
    ds3 = panel_dataset(rng, fw, n_units=6)
    assert project(fw, ds3, 2024, "coinr").first_year == 2023
