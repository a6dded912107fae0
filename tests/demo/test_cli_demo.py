"""`piiplan demo` and `piiplan demo-data` end to end."""

from __future__ import annotations

import pytest

from piiplan.cli import main
from piiplan.demo import SYNTHETIC_LABEL, demo_dir


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_prints_the_ranking_and_lang_son(capsys, monkeypatch):
    monkeypatch.delenv("PIIPLAN_PROVINCE", raising=False)
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert SYNTHETIC_LABEL in out
    lines = out.splitlines()
    ranking = [line for line in lines if line[:4].strip().isdigit()]
    assert len(ranking) == 34
    assert ranking[0].split()[1:3] == ["Hà", "Nội"] and "65,68" in ranking[0]
    assert "59,33" in ranking[1] and "Thành phố Hồ Chí Minh" in ranking[1]
    assert "49,37" in ranking[4] and "51,50" in ranking[4] and "47,23" in ranking[4]
    assert "37,66" in ranking[20] and "Gia Lai" in ranking[20]
    assert "Lạng Sơn" in ranking[28] and ranking[28].rstrip().endswith("◀")
    assert "Lạng Sơn — năm 2025" in out
    assert "hạng 29/34" in out
    assert "1. Thể chế" in out and "cao hơn trung bình" in out
    strengths = out.split("Năm thế mạnh")[1].split("Năm điểm yếu")[0]
    weaknesses = out.split("Năm điểm yếu")[1]
    for i, c in enumerate(["5.5.2", "6.2.4", "1.2.1", "6.3.2", "1.2.4"], 1):
        assert f"({i}) {c} " in strengths
    for i, c in enumerate(["7.2.2", "7.2.4", "7.1.2", "4.1.4", "4.2.2"], 1):
        assert f"({i}) {c} " in weaknesses
    above = [line for line in lines if "cao hơn trung bình" in line]
    assert [line.split(".")[0].strip() for line in above] == ["1", "6"]


def test_demo_province_from_environment_and_option(capsys, monkeypatch):
    monkeypatch.setenv("PIIPLAN_PROVINCE", "hue")
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "Huế — năm 2025" in out and "Điểm PII: 49,37, hạng 5/34" in out
    code, out, _ = run(capsys, "demo", "--unit", "Gia Lai", "--year", "2024")
    assert code == 0 and "Gia Lai — năm 2024" in out


def test_demo_unknown_province_or_year(capsys, monkeypatch):
    monkeypatch.delenv("PIIPLAN_PROVINCE", raising=False)
    code, _, err = run(capsys, "demo", "--unit", "Không Có")
    assert code == 2 and err.startswith("Lỗi:")
    code, _, err = run(capsys, "demo", "--year", "2019")
    assert code == 2 and "2019" in err


def test_demo_data_writes_the_shipped_files(capsys, tmp_path):
    code, out, _ = run(capsys, "demo-data", "--out", str(tmp_path))
    assert code == 0
    assert "đạt 26/26 mục tiêu" in out
    for name in ("values.csv", "units.csv", "denominators.csv", "calibration.csv", "calibration.md",
                 "dataset.json"):
        assert (tmp_path / name).read_bytes() == (demo_dir() / name).read_bytes()


def test_demo_data_other_seed(capsys, tmp_path):
    code, out, _ = run(capsys, "demo-data", "--seed", "42", "--out", str(tmp_path))
    assert code == 0 and "hạt giống 42" in out
    assert (tmp_path / "values.csv").read_bytes() != (demo_dir() / "values.csv").read_bytes()
    assert "Đạt 26/26 mục tiêu" in (tmp_path / "calibration.md").read_text(encoding="utf-8")


def test_demo_data_needs_out(capsys):
    with pytest.raises(SystemExit):
        main(["demo-data"])
