"""The engine's command line: compute writes COINr-layout tables equal to COINr's; errors exit 2."""

import numpy as np
import pandas as pd
import pytest

from piiplan.cli import main
from tests.engine.conftest import GOLDEN


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_compute_writes_coinr_tables(tmp_path, capsys):
    code, out, _ = run(capsys, "compute", "-f", str(GOLDEN / "asem_imeta.csv"), "-d", str(GOLDEN / "asem_raw_idata.csv"),
                       "--preset", "coinr", "--out", str(tmp_path))
    assert code == 0 and "1. DEU: 78,98" in out
    for mine, ref in [("treated", "asem_treated"), ("normalised", "asem_normalised"),
                      ("aggregated", "asem_aggregated"), ("ranks", "asem_ranks")]:
        a = pd.read_csv(tmp_path / f"{mine}.csv").set_index("uCode")
        b = pd.read_csv(GOLDEN / f"{ref}.csv").set_index("uCode")
        a = a.reindex(index=b.index, columns=b.columns)
        np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), atol=1e-9, equal_nan=True)
    assert (tmp_path / "results.xlsx").stat().st_size > 10_000
    assert '"name": "coinr"' in (tmp_path / "recipe.json").read_text(encoding="utf-8")


def test_compute_set_overrides_recipe(tmp_path, capsys):
    code, _, _ = run(capsys, "compute", "-f", str(GOLDEN / "asem_imeta.csv"), "-d", str(GOLDEN / "asem_raw_idata.csv"),
                     "--preset", "coinr", "--set", "treat.method=none", "--out", str(tmp_path), "--no-xlsx")
    assert code == 0
    treated = pd.read_csv(tmp_path / "treated.csv").set_index("uCode")
    raw = pd.read_csv(GOLDEN / "asem_raw.csv").set_index("uCode").reindex(treated.index)[treated.columns]
    np.testing.assert_allclose(treated.to_numpy(float), raw.to_numpy(float), equal_nan=True)
    assert '"method": "none"' in (tmp_path / "recipe.json").read_text(encoding="utf-8")


def test_explain_trail(capsys):
    code, out, _ = run(capsys, "explain", "-f", str(GOLDEN / "asem_imeta.csv"), "-d", str(GOLDEN / "asem_raw_idata.csv"),
                       "--preset", "coinr", "-u", "BEL", "-i", "Goods")
    assert code == 0
    assert "Giá trị gốc: 597,8723" in out
    assert "Xử lý ngoại lai: thay giá trị cao bất thường" in out or "Xử lý ngoại lai: không xử lý" in out
    assert "Đóng góp vào Index" in out


@pytest.mark.parametrize("argv,message", [
    (["validate", "MISSING.csv"], "Không tìm thấy tệp"),
    (["compute", "-f", str(GOLDEN / "asem_imeta.csv"), "-d", str(GOLDEN / "asem_raw_idata.csv"), "--set",
      "treat.nonsense=1", "--out", "x"], "Bước «treat» không có tham số «nonsense»."),
    (["compute", "-f", str(GOLDEN / "asem_imeta.csv"), "-d", str(GOLDEN / "asem_raw_idata.csv"), "--preset",
      "abc", "--out", "x"], "Không có công thức mẫu «abc»"),
])
def test_errors_exit_2_with_vietnamese_message(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err and err.startswith("Lỗi: ")


def test_validate_reports_each_problem(tmp_path, capsys):
    bad = tmp_path / "khung.csv"
    bad.write_text("code,parent,level,direction,weight\na,P,1,3,1\nb,P,1,1,-1\nP,,2,,1\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "Trọng số của «b» phải là số không âm" in lines[0] or "Trọng số của «b» phải là số không âm" in lines[1]
