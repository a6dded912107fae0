from pathlib import Path

import pandas as pd
import pytest

from piiplan.engine import Framework, read_data

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "coinr-asem"


def golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name)


@pytest.fixture(scope="session")
def asem_framework() -> Framework:
    return Framework.from_csv(GOLDEN / "asem_imeta.csv")


@pytest.fixture(scope="session")
def asem_data(asem_framework):
    return read_data(GOLDEN / "asem_raw_idata.csv", asem_framework)
