from pathlib import Path

import pytest

from piiplan.reports.loading import load_yaml
from piiplan.reports.model import HalfYearReport, ProvinceProfile, ReminderLetter

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"


@pytest.fixture
def half_year() -> HalfYearReport:
    return load_yaml(HalfYearReport, FIXTURES / "half_year.yaml")


@pytest.fixture
def profile() -> ProvinceProfile:
    return load_yaml(ProvinceProfile, FIXTURES / "profile.yaml")


@pytest.fixture
def reminder() -> ReminderLetter:
    return load_yaml(ReminderLetter, FIXTURES / "reminder.yaml")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
