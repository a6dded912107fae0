"""Where the read-only pages get their numbers.

The ``indexdata`` app's service (``piiplan.web.indexdata.service``) owns the current framework,
dataset and recipe and memoises the builds. Until that app is installed, the pages fall back on
the shipped demo panel and the ``pii`` preset. Everything here is memoised by the content of the
inputs (framework fingerprint, dataset hash, recipe fingerprint), so an import of new data is
seen on the next request and nothing stale is ever shown.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import threading
from dataclasses import dataclass

import pandas as pd
from django.conf import settings

from piiplan.engine import Dataset, Framework, Recipe, Results, build_dataset, load_framework, preset

# Uncertainty runs: a fixed seed and a modest number of replications keep the page fast and the
# numbers reproducible from one visit to the next.
UNCERTAINTY_SEED = 2025
UNCERTAINTY_REPLICATIONS = 2000


def _service():
    """The indexdata service module, or ``None`` while that app is not installed."""
    if "piiplan.web.indexdata" not in settings.INSTALLED_APPS:
        return None
    try:
        return importlib.import_module("piiplan.web.indexdata.service")
    except ImportError:
        return None


@dataclass(frozen=True)
class Inputs:
    """The three inputs of the index, as the pages see them, and a content key for memoising."""

    framework: Framework
    dataset: Dataset
    recipe: Recipe
    key: str


_lock = threading.Lock()
_dataset_hashes: dict[int, tuple[Dataset, str]] = {}


def dataset_hash(dataset: Dataset) -> str:
    """A content hash of a dataset (values, units, denominators), cached per dataset object."""
    with _lock:
        hit = _dataset_hashes.get(id(dataset))
        if hit is not None and hit[0] is dataset:
            return hit[1]
    h = hashlib.sha1()
    for frame in (dataset.values, dataset.units, getattr(dataset, "denominators", None)):
        if frame is not None and len(frame):
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    digest = h.hexdigest()[:16]
    with _lock:
        if len(_dataset_hashes) > 8:
            _dataset_hashes.clear()
        # The dataset object is kept alive with its hash, so its id cannot be reused meanwhile.
        _dataset_hashes[id(dataset)] = (dataset, digest)
    return digest


@functools.lru_cache(maxsize=1)
def _demo_inputs() -> tuple[Framework, Dataset, Recipe]:
    from piiplan.demo import load_demo

    return load_framework("pii-2025"), load_demo(), preset("pii")


def current() -> Inputs:
    service = _service()
    if service is not None:
        framework, dataset, recipe = service.current_framework(), service.current_dataset(), service.current_recipe()
    else:
        framework, dataset, recipe = _demo_inputs()
    key = f"{framework.fingerprint}:{dataset_hash(dataset)}:{recipe.fingerprint}"
    return Inputs(framework, dataset, recipe, key)


def years() -> list[int]:
    return [int(y) for y in current().dataset.years]


def pick_year(value) -> int:
    """The year asked for in a query string, or the latest year with data."""
    available = years()
    try:
        year = int(value)
    except (TypeError, ValueError):
        return available[-1]
    return year if year in available else available[-1]


@functools.lru_cache(maxsize=32)
def _build(key: str, year: int) -> Results:
    inputs = current()
    return build_dataset(inputs.framework, inputs.dataset, year, inputs.recipe)


def results(year: int | None = None) -> Results:
    """The index results of ``year`` (default: the latest year) on the current inputs."""
    year = pick_year(year)
    service = _service()
    if service is not None:
        return service.results(year=year)
    return _build(current().key, year)


def is_synthetic() -> bool:
    service = _service()
    if service is not None:
        return bool(service.is_synthetic())
    from piiplan.demo import SYNTHETIC_LABEL

    return current().dataset.source == SYNTHETIC_LABEL


def home_unit() -> str:
    service = _service()
    if service is not None:
        return str(service.home_unit())
    return str(settings.PIIPLAN_PROVINCE)


def regions() -> list[str]:
    units = current().dataset.units
    if "region" not in units.columns:
        return []
    return sorted({str(r) for r in units["region"] if str(r)})


def region_of(unit: str) -> str:
    units = current().dataset.units
    if "region" not in units.columns or unit not in units.index:
        return ""
    return str(units.at[unit, "region"])


def unit_names() -> dict[str, str]:
    """Unit code → display name, in the dataset's order."""
    units = current().dataset.units
    if "name" in units.columns:
        return {str(u): str(n or u) for u, n in units["name"].items()}
    return {str(u): str(u) for u in units.index}


# ---- analysis, memoised by the inputs' content --------------------------------------------------
def analysis_inputs(year: int):
    from piiplan.analysis.context import IndexInputs

    inputs = current()
    return IndexInputs.from_dataset(inputs.framework, inputs.dataset, year, inputs.recipe)


@functools.lru_cache(maxsize=64)
def _strengths(key: str, year: int, unit: str):
    from piiplan.analysis.profile import strengths_weaknesses

    return strengths_weaknesses(results(year), unit)


def strengths_weaknesses(year: int, unit: str):
    """(strengths, weaknesses): five indicators each (analysis.profile's province rule)."""
    return _strengths(current().key, year, unit)


@functools.lru_cache(maxsize=8)
def _uncertainty(key: str, year: int, k: int, n: int, seed: int):
    from piiplan.analysis.uncertainty import monte_carlo

    return monte_carlo(analysis_inputs(year), n=n, seed=seed, k=k)


def uncertainty(year: int, k: int, n: int = UNCERTAINTY_REPLICATIONS, seed: int = UNCERTAINTY_SEED):
    """Monte Carlo rank statistics (analysis.uncertainty, default assumptions) with P(rank ≤ k)."""
    return _uncertainty(current().key, int(year), int(k), int(n), int(seed))
