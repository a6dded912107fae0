"""Where a dataset version's numbers come from: synthetic (the demo panel) or official, and which
version it was copied from. One place for the rule, used by the import, the versions list, the
publication confirmation and the pages' "Dữ liệu mô phỏng" banner.

A version is synthetic when it was flagged so (the demo), when it was merged onto a synthetic
version without replacing every cell, or when its values *are* the demo panel's: a re-imported
export of the demo data keeps the label because at least ``DEMO_SHARE`` of its cells equal the
shipped panel's values at the same (province, indicator, year). Real data matches the panel only
by coincidence (a handful of 0 or 100 values), far below that share.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from piiplan.engine import Dataset
from piiplan.numbers import MISSING

DEMO_SHARE = 0.05
KEYS = ["unit", "indicator", "year"]
_lock = threading.Lock()
_demo: dict[str, pd.Series] = {}


def _demo_values() -> pd.Series:
    with _lock:
        if "values" not in _demo:
            from piiplan.demo import load_demo

            v = load_demo().values.dropna(subset=["value"])
            _demo["values"] = v.set_index(KEYS)["value"].astype(float)
        return _demo["values"]


def synthetic_share(dataset: Dataset) -> float:
    """The share of the dataset's filled cells equal to the demo panel's value for the same cell."""
    values = dataset.values.dropna(subset=["value"])
    if values.empty:
        return 0.0
    mine = values.set_index(KEYS)["value"].astype(float)
    demo = _demo_values()
    common = mine.index.intersection(demo.index)
    if common.empty:
        return 0.0
    same = np.isclose(mine.loc[common].to_numpy(), demo.loc[common].to_numpy(), rtol=1e-9, atol=1e-12)
    return round(float(same.sum()) / len(mine), 4)


def is_synthetic_copy(merged: Dataset, base_version, summary: dict | None = None) -> bool:
    """Whether a dataset made by merging an upload onto ``base_version`` (None: the demo panel) is synthetic."""
    share = (summary or {}).get("synthetic_share")
    if share is None:
        share = synthetic_share(merged)
    if share >= DEMO_SHARE:
        return True
    base_synthetic = True if base_version is None else bool(base_version.synthetic)
    if not base_synthetic or not summary:
        return False
    # Cells the upload did not touch still come from the synthetic base.
    touched = summary.get("added", 0) + summary.get("changed", 0) + summary.get("unchanged", 0)
    return touched < int(merged.values["value"].notna().sum())


def describe(version) -> dict:
    """What a person needs to judge a version before using or publishing it (plain data for templates)."""
    if version is None:
        from piiplan.demo import SYNTHETIC_LABEL

        return {"synthetic": True, "label": SYNTHETIC_LABEL, "source": "bộ dữ liệu mô phỏng kèm phần mềm",
                "by": None, "at": None, "copied_from": None, "pk": None}
    copied = version.copied_from if version.copied_from_id else None
    return {
        "pk": version.pk,
        "synthetic": bool(version.synthetic),
        "label": "Dữ liệu mô phỏng" if version.synthetic else "Dữ liệu chính thức",
        "source": version.source_name or MISSING,
        "by": version.uploaded_by.display_name if version.uploaded_by_id else None,
        "at": version.at,
        "copied_from": {"pk": copied.pk, "name": copied.name, "synthetic": bool(copied.synthetic)} if copied else None,
    }
