"""Where the read-only pages get their numbers.

The ``indexdata`` app's service (``piiplan.web.indexdata.service``) owns the current framework,
dataset and recipe and memoises the builds. When that app is not installed, the pages fall back
on the shipped demo panel and the ``pii`` preset.

A view takes one :class:`Snapshot` per request (:func:`snapshot`): the three inputs are read once,
so a page never mixes two datasets, and everything derived here (strengths and weaknesses,
uncertainty runs) is kept in the one results cache of ``indexdata.service``, keyed by the content of
those inputs — an import of new data is seen on the next request and nothing stale is ever shown.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field

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


@functools.lru_cache(maxsize=1)
def _demo_inputs() -> tuple[Framework, Dataset, Recipe]:
    from piiplan.demo import load_demo

    return load_framework("pii-2025"), load_demo(), preset("pii")


@dataclass
class Snapshot:
    """The current inputs of the index as one request sees them, and what the pages derive."""

    framework: Framework
    dataset: Dataset
    recipe: Recipe
    key: tuple                          # content_key: framework, dataset, recipe fingerprints
    synthetic: bool
    home: str
    label: str = ""                     # the dataset version shown ("" for the shipped demo panel)
    public: bool = True                 # what everyone may see (published, or the demo panel before any version)
    _results: dict = field(default_factory=dict, repr=False)

    # ---- the data -------------------------------------------------------------------------------
    @functools.cached_property
    def years(self) -> list[int]:
        return [int(y) for y in self.dataset.years]

    def pick_year(self, value) -> int:
        """The year asked for in a query string, or the latest year with data."""
        try:
            year = int(value)
        except (TypeError, ValueError):
            return self.years[-1]
        return year if year in self.years else self.years[-1]

    def previous_year(self, year: int) -> int | None:
        i = self.years.index(year)
        return self.years[i - 1] if i > 0 else None

    def results(self, year: int | None = None) -> Results:
        """The index results of ``year`` (default: the latest year)."""
        year = self.pick_year(year)
        if year not in self._results:
            service = _service()
            if service is not None:
                self._results[year] = service.results(year=year, recipe=self.recipe, dataset=self.dataset,
                                                      framework=self.framework)
            else:
                self._results[year] = build_dataset(self.framework, self.dataset, year, self.recipe)
        return self._results[year]

    @functools.cached_property
    def regions(self) -> list[str]:
        units = self.dataset.units
        if "region" not in units.columns:
            return []
        return sorted({str(r) for r in units["region"] if str(r)})

    @functools.cached_property
    def region_of(self) -> dict[str, str]:
        units = self.dataset.units
        if "region" not in units.columns:
            return {}
        return {str(u): str(r) for u, r in units["region"].items()}

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """Unit code → display name, in the dataset's order."""
        units = self.dataset.units
        if "name" in units.columns:
            return {str(u): str(n or u) for u, n in units["name"].items()}
        return {str(u): str(u) for u in units.index}

    # ---- analysis, memoised by the inputs' content ----------------------------------------------
    def strengths_weaknesses(self, year: int, unit: str):
        """(strengths, weaknesses): five indicators each (analysis.profile's province rule)."""
        from piiplan.analysis.profile import strengths_weaknesses

        return self._cached("strengths", (year, unit), lambda: strengths_weaknesses(self.results(year), unit))

    def year_change(self, year: int, unit: str):
        """analysis.profile's year-on-year change of ``unit`` (``None`` for the first year): a
        DataFrame per code (scores, ranks, contribution to the index change) and a summary dict."""
        previous = self.previous_year(year)
        if previous is None:
            return None
        return self._cached("year_change", (year, unit), lambda: _year_change(self, year, previous, unit))

    def uncertainty(self, year: int, k: int, n: int = UNCERTAINTY_REPLICATIONS, seed: int = UNCERTAINTY_SEED):
        """Monte Carlo rank statistics (analysis.uncertainty, default assumptions) with P(rank ≤ k)."""
        return self._cached("uncertainty", (int(year), int(k), int(n), int(seed)),
                            lambda: _uncertainty(self, int(year), int(k), int(n), int(seed)))

    def _cached(self, name: str, args: tuple, compute):
        """``compute()`` in the results cache of ``indexdata.service`` (keyed by this snapshot's content)."""
        service = _service()
        if service is None:
            return compute()
        return service.cached((name, *self.key, *args), compute)


def snapshot(user=None) -> Snapshot | None:
    """The inputs ``user`` may see. DoST staff and leaders see the active dataset version; the
    public and agency focal points see it only when it is published, else the newest published
    version (``indexdata``'s access scope, through ``visible_to``). ``None``: nothing published."""
    service = _service()
    if service is not None:
        chosen = _dataset_for(user, service)
        if chosen is None:
            return None
        framework, dataset, synthetic, label, public = chosen
        recipe = service.current_recipe()
        digest = dataset.fingerprint
        home = str(service.home_unit())
    else:
        from piiplan.demo import SYNTHETIC_LABEL

        framework, dataset, recipe = _demo_inputs()
        digest = dataset.fingerprint
        synthetic, home, label = dataset.source == SYNTHETIC_LABEL, str(settings.PIIPLAN_PROVINCE), ""
        public = True
    key = (framework.fingerprint, digest, recipe.fingerprint)   # = service.content_key(...)
    return Snapshot(framework, dataset, recipe, key, synthetic, home, label, public=public)


def _dataset_for(user, service):
    """(framework, dataset, synthetic, label, public) of the version ``user`` may see, or ``None``."""
    chosen = service.visible_inputs(user)
    if chosen is None:
        return None
    framework, dataset, version = chosen
    if version is None:
        return framework, dataset, bool(service.is_synthetic()), "", True
    return framework, dataset, bool(version.synthetic), _label(version), bool(version.published)


def _label(version) -> str:
    from django.utils import formats, timezone

    day = formats.date_format(timezone.localtime(version.at), "SHORT_DATE_FORMAT")
    return f"{version.name} (nhập ngày {day}{', đã công bố' if version.published else ''})"


def _year_change(snap: Snapshot, year: int, previous: int, unit: str):
    from piiplan.analysis.context import IndexInputs
    from piiplan.analysis.profile import profile

    current = IndexInputs.from_dataset(snap.framework, snap.dataset, year, snap.recipe)
    before = IndexInputs.from_dataset(snap.framework, snap.dataset, previous, snap.recipe)
    result = profile(current, unit, previous=before, base=snap.results(year))
    return result.change, result.summary


def _uncertainty(snap: Snapshot, year: int, k: int, n: int, seed: int):
    from piiplan.analysis.context import IndexInputs
    from piiplan.analysis.uncertainty import monte_carlo

    inputs = IndexInputs.from_dataset(snap.framework, snap.dataset, year, snap.recipe)
    return monte_carlo(inputs, n=n, seed=seed, k=k)


def clear_memo() -> None:
    """Forget every memoised result (tests): the demo inputs here, the results cache of the service."""
    _demo_inputs.cache_clear()
    service = _service()
    if service is not None:
        service.clear_memo()
