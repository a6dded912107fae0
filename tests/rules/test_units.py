"""One resolver of province/unit names for the CLI, the data files and the pages (piiplan.reference)."""

import subprocess
import sys

import pytest

from piiplan.reference import ReferenceDataError, match_unit, provinces

UNITS = list(provinces().index)


@pytest.mark.parametrize("typed, unit", [
    ("Lạng Sơn", "Lạng Sơn"), ("Lang Son", "Lạng Sơn"), ("LẠNG SƠN", "Lạng Sơn"), ("tỉnh lang son", "Lạng Sơn"),
    ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"), ("Lạng Sơn", "Lạng Sơn"),
])
def test_match_unit(typed, unit):
    assert match_unit(typed, UNITS) == unit


def test_former_province_names_its_successor_and_unknown_is_refused():
    with pytest.raises(ReferenceDataError, match="Thái Nguyên"):
        match_unit("Bac Kan", UNITS)
    with pytest.raises(ReferenceDataError, match="không có|Không có"):
        match_unit("Atlantis", UNITS)


def test_match_unit_outside_the_34_provinces():
    assert match_unit("ha noi", ["Hà Nội", "Huế"]) == "Hà Nội"
    with pytest.raises(ReferenceDataError):
        match_unit("Lạng Sơn", ["Hà Nội"])


def test_cli_accepts_a_name_without_diacritics():
    run = subprocess.run([sys.executable, "-m", "piiplan.cli", "profile", "--unit", "Lang Son"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Lạng Sơn — PII" in run.stdout
