"""The current numbers, for every page and the API: active framework, dataset, recipe and results.

The database holds the versions people imported; the active ones are read on every call (one
indexed query each), so activating another version changes every page at once. When the database
has none yet, the shipped demo panel and the ``pii-2025`` framework are used.

The one results cache of the web app lives here (:func:`cached`): every build and everything derived from
one (strengths, year-on-year change, uncertainty runs, the plan's effect) is memoised in the process under
a key that starts with :func:`content_key` — the fingerprints of the framework, the dataset and the
recipe — so the same inputs give the same numbers and new inputs (another active version, an import) a new
computation. Nothing user-dependent is cached: views render pages from these results per request, and
whatever depends on who asks (an agency's own tasks) is added after. Nothing derived is stored in the
database, so there are no stale numbers to invalidate.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings

from piiplan.engine import Dataset, Framework, Recipe, Results, build_dataset, preset

MEMO_SIZE = 256
_lock = threading.Lock()
_results: OrderedDict[tuple, object] = OrderedDict()   # the results cache (see cached())
_frameworks: dict[str, Framework] = {}
_datasets: dict[str, Dataset] = {}
_PARSED_MAX = 8


# ---- versions in the database ----------------------------------------------------------------

def active_framework_version():
    from piiplan.web.indexdata.models import FrameworkVersion

    return FrameworkVersion.objects.filter(active=True).first()


def active_dataset_version():
    from piiplan.web.indexdata.models import DatasetVersion

    return DatasetVersion.objects.filter(active=True).first()


def framework_of(version) -> Framework:
    """The engine framework of a ``FrameworkVersion`` (parsed once per content)."""
    key = version.fingerprint
    fw = _frameworks.get(key)
    if fw is None:
        fw = version.framework()
        _remember(_frameworks, key, fw)
    return fw


def dataset_of(version) -> Dataset:
    """The engine dataset of a ``DatasetVersion`` (parsed once per content)."""
    key = version.content_hash
    ds = _datasets.get(key)
    if ds is None:
        ds = version.dataset()
        _remember(_datasets, key, ds)
    return ds


def _remember(cache: dict, key, value) -> None:
    with _lock:
        if len(cache) >= _PARSED_MAX:
            cache.pop(next(iter(cache)))
        cache[key] = value


def visible_inputs(user):
    """The one rule of "which dataset may this user see": ``(framework, dataset, version)``.

    DoST staff and leaders see the active dataset version; the public and agency focal points see it
    only when it is published, else the newest published version (``visible_to``, the access scope of
    ``DatasetVersion``). ``version`` is ``None`` while the database has no version yet (the shipped demo
    panel, shown to everyone). ``None`` when nothing may be shown to ``user``.
    """
    from piiplan.web.accounts.access import visible_to
    from piiplan.web.indexdata.models import DatasetVersion

    active = active_dataset_version()
    if active is None:
        return current_framework(), current_dataset(), None
    visible = visible_to(user, DatasetVersion)
    if visible.filter(pk=active.pk).exists():
        return current_framework(), dataset_of(active), active
    published = visible.select_related("framework").order_by("-at", "-id").first()
    if published is None:
        return None
    return framework_of(published.framework), dataset_of(published), published


# ---- the current inputs ------------------------------------------------------------------------

def current_framework() -> Framework:
    """The active framework version, or the shipped ``pii-2025``."""
    version = active_framework_version()
    if version is not None:
        return framework_of(version)
    from piiplan.demo import demo_framework

    # Parsed once: reading and checking the framework file takes a quarter of a second.
    fw = _frameworks.get("demo")
    if fw is None:
        fw = demo_framework()
        _remember(_frameworks, "demo", fw)
    return fw


def current_dataset() -> Dataset:
    """The active dataset version, or the shipped synthetic demo panel."""
    version = active_dataset_version()
    if version is not None:
        return dataset_of(version)
    from piiplan.demo import load_demo

    return _demo_dataset(load_demo)


def _demo_dataset(loader) -> Dataset:
    ds = _datasets.get("demo")
    if ds is None:
        ds = loader()
        _remember(_datasets, "demo", ds)
    return ds


def current_recipe() -> Recipe:
    """The recipe of the workspace: the ``pii`` preset (there is no setting to change it)."""
    return preset("pii")


def is_synthetic() -> bool:
    """True when the numbers shown are the demo panel: pages must show ``SYNTHETIC_LABEL``."""
    version = active_dataset_version()
    return True if version is None else bool(version.synthetic)


def synthetic_label() -> str:
    from piiplan.demo import SYNTHETIC_LABEL

    return SYNTHETIC_LABEL


def home_unit() -> str:
    """The province this workspace serves (settings ``PIIPLAN_PROVINCE``)."""
    return settings.PIIPLAN_PROVINCE


# ---- results -----------------------------------------------------------------------------------

def dataset_fingerprint(dataset: Dataset) -> str:
    """The dataset's content hash (``Dataset.fingerprint``, the engine's one dataset hash)."""
    return dataset.fingerprint


def content_key(framework: Framework, dataset: Dataset, recipe: Recipe) -> tuple[str, str, str]:
    """What a computation's numbers depend on: the fingerprints of framework, dataset and recipe."""
    return framework.fingerprint, dataset.fingerprint, recipe.fingerprint


def cached(key: tuple, compute):
    """The one results cache: the value of ``key`` (a tuple naming the computation after a
    :func:`content_key`, e.g. ``("strengths", *content_key(...), year, unit)``), computed on a miss.
    Least recently used entries are dropped beyond ``MEMO_SIZE``."""
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    value = compute()
    with _lock:
        _results[key] = value
        while len(_results) > MEMO_SIZE:
            _results.popitem(last=False)
    return value


def results(year: int | None = None, recipe: Recipe | None = None, dataset: Dataset | None = None,
            framework: Framework | None = None) -> Results:
    """The index built from the current (or given) framework, dataset and recipe for ``year``
    (the dataset's latest year by default), in the results cache."""
    framework = framework if framework is not None else current_framework()
    dataset = dataset if dataset is not None else current_dataset()
    recipe = recipe if recipe is not None else current_recipe()
    year = int(year) if year is not None else dataset.years[-1]
    if year not in dataset.years:
        raise ValueError(f"Bộ dữ liệu không có năm {year}; các năm có: {', '.join(map(str, dataset.years))}.")
    return cached(("results", *content_key(framework, dataset, recipe), year),
                  lambda: build_dataset(framework, dataset, year, recipe))


def years() -> list[int]:
    return current_dataset().years


def index_inputs(year: int | None = None, dataset: Dataset | None = None):
    """``piiplan.analysis`` inputs for the current framework, dataset and recipe (what-if, optimiser)."""
    from piiplan.analysis.context import IndexInputs

    dataset = dataset if dataset is not None else current_dataset()
    return IndexInputs.from_dataset(current_framework(), dataset, year, current_recipe())


def clear_memo() -> None:
    """Forget every memoised build and parsed version (tests)."""
    with _lock:
        _results.clear()
        _frameworks.clear()
        _datasets.clear()


__all__ = ["cached", "content_key", "visible_inputs", "current_framework", "current_dataset", "current_recipe", "results", "is_synthetic",
           "synthetic_label", "home_unit", "years", "index_inputs", "active_dataset_version",
           "active_framework_version", "dataset_fingerprint", "clear_memo"]
