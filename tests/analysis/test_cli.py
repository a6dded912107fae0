"""The analysis commands end to end (on the shipped demo panel, or on COINr's ASEM files)."""

import json

import pytest

from piiplan.cli import main

from conftest import ASEM

pytest.importorskip("piiplan.demo")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_target_json(capsys):
    code, out, err = run(capsys, "target", "--unit", "Lạng Sơn", "--rank", "25", "--year", "2025", "--json",
                         "--ladder", "2")
    assert code == 0
    d = json.loads(out)
    assert d["feasible"] and d["confirmed"] and d["rank_after"] <= 25
    assert {"code", "from", "to", "points"} <= set(d["plan"][0])
    assert [r["places_up"] for r in d["ladder"]] == [1, 2]
    assert "%" in err                                   # the progress bar goes to stderr only


def test_target_text_and_unit_lookup(capsys):
    code, out, _ = run(capsys, "target", "-u", "lạng sơn", "-k", "28", "--ladder", "0", "--fix", "7.2.4")
    assert code == 0 and "Lạng Sơn: hạng hiện tại 29" in out and "7.2.4 " not in out


def test_profile_gains_whatif_project(capsys):
    code, out, _ = run(capsys, "profile", "-u", "Lạng Sơn", "--json")
    d = json.loads(out)
    assert code == 0 and d["summary"]["rank"] == 29 and len(d["strengths"]) == 5
    code, out, _ = run(capsys, "gains", "-u", "Lạng Sơn", "--json")
    assert code == 0 and len(json.loads(out)["indicators"]) > 40
    code, out, _ = run(capsys, "whatif", "-e", "Lạng Sơn:6.3.1=200")
    assert code == 0 and "bị cắt" in out
    code, out, _ = run(capsys, "project", "-u", "Lạng Sơn", "-e", "6.3.1+=5", "--json")
    d = json.loads(out)
    assert code == 0 and d["target_year"] == 2026 and "rank_linear_plan" in d["units"][0]


def test_uncertainty_seeded(capsys):
    args = ("uncertainty", "--n", "300", "--seed", "7", "-u", "Lạng Sơn", "--k", "28", "--json")
    code, out1, err = run(capsys, *args)
    _, out2, _ = run(capsys, *args)
    assert code == 0 and out1 == out2 and "Monte Carlo" in err
    d = json.loads(out1)
    assert d["replications"] == 300 and d["units"][0]["unit"] == "Lạng Sơn"


def test_user_errors_exit_2(capsys):
    code, _, err = run(capsys, "target", "-u", "Atlantis", "-k", "3")
    assert code == 2 and "Không có tỉnh, thành phố «Atlantis»" in err
    code, _, err = run(capsys, "whatif", "-u", "Lạng Sơn", "-e", "9.9.9=1")
    assert code == 2 and "9.9.9" in err


def test_coinr_files_as_input(capsys):
    if not ASEM.exists():
        pytest.skip("no ASEM files")
    code, out, _ = run(capsys, "gains", "-f", str(ASEM / "asem_imeta.csv"), "-d", str(ASEM / "asem_raw_idata.csv"),
                       "--preset", "coinr", "-u", "AUS", "--json")
    assert code == 0 and json.loads(out)["rank"] == 27


def test_sobol_prints_vietnamese_assumption_names_and_sane_indices(capsys):
    code, out, _ = run(capsys, "uncertainty", "--n", "600", "--seed", "1", "-u", "Lạng Sơn", "--sobol")
    assert code == 0
    block = out.split("Độ nhạy (Sobol")[1]
    assert "Trọng số" in block and "Phương pháp chuẩn hoá" in block
    assert "weights" not in block and "normalisation" not in block
    code, out, _ = run(capsys, "uncertainty", "--n", "600", "--seed", "1", "-u", "Lạng Sơn", "--sobol", "--json")
    for row in json.loads(out)["sensitivity"]["indices"]:
        assert -0.5 <= row["Si"] <= 1.5, row


@pytest.mark.parametrize("extra, needle", [
    (["-k", "0"], "từ 1 đến 34"), (["-k", "-3"], "từ 1 đến 34"), (["-k", "40"], "từ 1 đến 34"),
    (["-k", "25", "--steps", "0"], "--steps"), (["-k", "25", "--steps", "-1"], "--steps"),
    (["-k", "25", "--margin", "-1"], "--margin"), (["-k", "25", "--margin", "nan"], "--margin"),
    (["-k", "25", "--weight", "6.3.1=-1"], "6.3.1 phải > 0"), (["-k", "25", "--weight", "6.3.1=0"], "> 0"),
    (["-k", "25", "--bound", "9.9.9=1"], "«9.9.9»"), (["-k", "25", "--weight", "9.9.9=1"], "«9.9.9»"),
    (["-k", "25", "--fix", "9.9.9"], "«9.9.9»"), (["-k", "25", "--bound", "6.3.1=-2"], "--bound"),
    (["-k", "25", "--bound", "6.3.1=abc"], "không phải là số"),
])
def test_target_option_errors_exit_2(capsys, extra, needle):
    code, out, err = run(capsys, "target", "-u", "Lạng Sơn", "--ladder", "0", *extra)
    assert code == 2 and err.startswith("Lỗi: ") and needle in err and "Traceback" not in err


def test_target_already_reached(capsys):
    code, out, _ = run(capsys, "target", "-u", "Lạng Sơn", "-k", "30", "--ladder", "0")
    assert code == 0 and "Mục tiêu đã đạt" in out and "hạng 29" in out


@pytest.mark.parametrize("extra, needle", [
    (["--n", "-5"], "--n"), (["--n", "0"], "ít nhất 100"), (["--noise", "2"], "[0; 1)"),
    (["--noise", "1"], "[0; 1)"), (["--noise", "-0.1"], "[0; 1)"), (["--noise", "nan"], "[0; 1)"),
    (["--k", "0"], "--k"), (["--k", "99"], "--k"),
])
def test_uncertainty_option_errors_exit_2(capsys, extra, needle):
    code, out, err = run(capsys, "uncertainty", "--seed", "1", *extra)
    assert code == 2 and err.startswith("Lỗi: ") and needle in err and out == ""


@pytest.mark.parametrize("edit, needle", [
    ("6.3.1=nan", "nan"), ("6.3.1=inf", "inf"), ("6.3.1=1e308", "quá lớn"), ("6.3.1=abc", "không phải là số"),
    ("6.3.1=+5", "6.3.1+=5"), ("6.3.1=10%", "=+10%"), ("6.3.1=", "thiếu giá trị"), ("9.9.9+=1", "«9.9.9»"),
])
def test_edit_values_are_checked_like_data_cells(capsys, edit, needle):
    for command in ("whatif", "project"):
        code, out, err = run(capsys, command, "-u", "Lạng Sơn", "-e", edit)
        assert code == 2 and err.startswith("Lỗi: ") and needle in err, (command, err)


def test_edit_syntax_has_one_meaning_everywhere(capsys):
    def to(edit):
        code, out, _ = run(capsys, "whatif", "-u", "Lạng Sơn", "-e", edit, "--json")
        assert code == 0
        return json.loads(out)["edits"][0]
    old = to("6.3.1=1")["from"]
    assert to("6.3.1=82,5")["to"] == 82.5                       # vi-VN decimal comma, sets
    assert to("6.3.1+=5")["to"] == pytest.approx(old + 5)
    assert to("6.3.1-=2,5")["to"] == pytest.approx(old - 2.5)
    assert to("6.3.1=+10%")["to"] == pytest.approx(old * 1.1)
    # project: the same forms act on the projected value (set = the planned value itself)
    from piiplan.analysis.projection import project
    from piiplan.analysis.whatif import Edit
    from piiplan.demo import demo_framework, load_demo

    fw, ds = demo_framework(), load_demo()
    p = project(fw, ds, 2025, "pii", edits=[Edit("Lạng Sơn", "6.3.1", 82.5), Edit("Lạng Sơn", "1.1.1", 5, op="add"),
                                            Edit("Lạng Sơn", "1.1.2", 10, op="pct")])
    for m in ("linear", "compound"):
        base, plan = p.data[m].loc["Lạng Sơn"], p.data[f"{m}_plan"].loc["Lạng Sơn"]
        assert plan["6.3.1"] == 82.5
        assert plan["1.1.1"] == pytest.approx(base["1.1.1"] + 5)
        assert plan["1.1.2"] == pytest.approx(base["1.1.2"] * 1.1)


def test_project_needs_two_years_and_unreachable_target_exits_1(capsys):
    code, out, err = run(capsys, "project", "--year", "2023", "-u", "Lạng Sơn")
    assert code == 2 and "một năm" in err and "xu hướng 2021" not in out
    code, out, _ = run(capsys, "project", "--year", "2024", "-u", "Lạng Sơn")
    assert code == 0 and "xu hướng 2023–2024" in out
    code, out, err = run(capsys, "project", "-u", "Lạng Sơn", "--target-rank", "1")
    assert code == 1 and "Không tìm được phương án" in out and err == ""
    code, _, err = run(capsys, "project", "-u", "Lạng Sơn", "--target-rank", "0")
    assert code == 2 and "từ 1 đến 34" in err


@pytest.mark.parametrize("rule, name", [("province", "quy tắc báo cáo tỉnh"), ("gii", "quy tắc GII")])
def test_profile_names_the_rule_in_vietnamese(capsys, rule, name):
    code, out, _ = run(capsys, "profile", "-u", "Lạng Sơn", "--rule", rule)
    assert code == 0 and f"Điểm mạnh ({name}):" in out and f"Điểm yếu ({name}):" in out
    assert "quy tắc province" not in out and "quy tắc gii" not in out


COMMANDS = [["profile", "-u", "Lạng Sơn"], ["whatif", "-e", "Lạng Sơn:6.3.1=70"], ["gains", "-u", "Lạng Sơn"],
            ["target", "-u", "Lạng Sơn", "-k", "28", "--ladder", "0"], ["uncertainty", "--n", "50", "--seed", "1"],
            ["project", "-u", "Lạng Sơn"]]


@pytest.mark.parametrize("argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_demo_data_is_labelled_in_text_and_json(capsys, argv):
    from piiplan.demo import SYNTHETIC_LABEL

    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.splitlines()[0] == f"[{SYNTHETIC_LABEL}]"
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0 and json.loads(out)["nhan_du_lieu"] == SYNTHETIC_LABEL


def test_own_data_is_not_labelled(capsys):
    if not ASEM.exists():
        pytest.skip("no ASEM files")
    code, out, _ = run(capsys, "gains", "-f", str(ASEM / "asem_imeta.csv"), "-d", str(ASEM / "asem_raw_idata.csv"),
                       "--preset", "coinr", "-u", "AUS")
    assert code == 0 and "mô phỏng" not in out
    code, out, _ = run(capsys, "gains", "-f", str(ASEM / "asem_imeta.csv"), "-d", str(ASEM / "asem_raw_idata.csv"),
                       "--preset", "coinr", "-u", "AUS", "--json")
    assert "nhan_du_lieu" not in json.loads(out)


@pytest.mark.parametrize("command", ["whatif", "gains"])
@pytest.mark.parametrize("value", ["0", "-3", "mười"])
def test_top_must_be_a_positive_whole_number(capsys, command, value):
    from piiplan.cli import main

    with pytest.raises(SystemExit) as exc:
        main([command, "--unit", "Lạng Sơn", "--top", value])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith("Lỗi: tham số --top:") and ("≥ 1" in err or "không phải số nguyên" in err)


@pytest.mark.parametrize("extra, needle", [
    (["--probability", "1,5"], "0–1"), (["--probability", "-0.2"], "0–1"), (["--probability", "abc"], "--probability"),
    (["--bound", "6.3.1=-1"], "--bound"), (["--bound", "X.Y=1"], "«X.Y»"), (["--reach", "0"], "(0; 100]"),
    (["--reach", "150"], "(0; 100]"), (["--time", "0"], "--time"), (["--draws", "10"], "--draws"),
])
def test_realistic_target_bad_input_exits_2(capsys, extra, needle):
    code, out, err = run(capsys, "target", "-u", "Lạng Sơn", "-k", "27", "--ladder", "0", *extra)
    assert code == 2 and err.startswith("Lỗi: ") and needle in err and "Traceback" not in err and out == ""


def test_realistic_target_text_shows_reach_effort_probability_and_edition(capsys):
    code, out, _ = run(capsys, "target", "-u", "Lạng Sơn", "-k", "28", "--ladder", "0", "--time", "20")
    assert code == 0
    assert "năm tiến bộ tốt nhất" in out and "Xác suất giữ hạng" in out and "(1.000 lần lặp" in out
    assert "tỉnh làm tốt nhất" in out and "(số liệu 20" in out


def test_out_of_reach_target_exits_1_with_reason_and_pathway(capsys):
    code, out, _ = run(capsys, "target", "-u", "Lai Châu", "-k", "20", "--ladder", "0", "--time", "3", "--json")
    d = json.loads(out)
    assert code == 1 and not d["feasible"] and d["best_rank"] > 20 and "cần thêm" in d["reason"]
    assert d["pathway"] and d["pathway"][0]["changes"]
