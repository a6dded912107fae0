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


def _subcommands():
    from piiplan.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


def test_top_level_and_every_command_help_works(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: piiplan") and "hiện trợ giúp này rồi thoát" in out
    for name in _subcommands():
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0, name
        assert "Cách dùng:" in capsys.readouterr().out


def test_every_command_is_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [n for n in _subcommands() if f"piiplan {n}" not in text]
    assert not missing, f"commands missing from docs/cli.md: {missing}"


def test_argument_errors_are_one_vietnamese_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["compute", "--out", str(tmp_path), "--bogus"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith("Lỗi: tham số không nhận ra: --bogus") and "error:" not in err and "usage" not in err


def test_recipe_values_are_checked(tmp_path, capsys):
    code, _, err = run(capsys, "compute", "-f", str(GOLDEN / "asem_imeta.csv"), "-d", str(GOLDEN / "asem_raw_idata.csv"),
                       "--set", 'aggregate.weights={"Conn": -2}', "--set", "treat.winmax=abc", "--out", str(tmp_path))
    assert code == 2
    assert "trọng số của «Conn» phải là số không âm" in err or "«winmax» phải là số nguyên" in err


def test_unknown_or_former_province_in_a_data_file_is_reported(tmp_path, capsys):
    path = tmp_path / "so-lieu.csv"
    path.write_text("unit,indicator,year,value\nLạng Sơn,1.1.1,2025,50\nTỉnh Lạng Sơn,1.1.2,2025,40\n"
                    "Hà Giang,1.1.1,2025,3\nLang Son X,1.1.1,2025,4\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2                                   # "Tỉnh Lạng Sơn" is an accepted alias
    assert "dòng 4" in lines[0] and "Hà Giang" in lines[0] and "nay thuộc Tuyên Quang" in lines[0]
    assert "dòng 5" in lines[1] and "Lang Son X" in lines[1]


def test_compute_on_demo_data_is_labelled_synthetic(tmp_path, capsys):
    code, out, _ = run(capsys, "compute", "--out", str(tmp_path), "--no-xlsx")
    assert code == 0 and out.startswith("DỮ LIỆU MÔ PHỎNG")
    assert "không phải số liệu chính thức" in (tmp_path / "GHI-CHU.txt").read_text(encoding="utf-8")


def test_explain_shows_every_stage_including_skipped_ones(capsys):
    code, out, _ = run(capsys, "explain", "--unit", "Lạng Sơn", "--indicator", "1.2.1")
    assert code == 0
    for label in ("Giá trị gốc", "Sau chia mẫu số", "Sau gán giá trị thiếu", "Sau sàng lọc", "Sau xử lý ngoại lai",
                  "Điểm chuẩn hoá"):
        assert label in out
    line = next(ln for ln in out.splitlines() if "Sau chia mẫu số" in ln)
    raw = next(ln for ln in out.splitlines() if "Giá trị gốc" in ln).split(": ")[1]
    assert line.endswith(f"{raw} (bước này không áp dụng trong công thức)")
