"""The PII engine: framework, data, recipe, pipeline steps, results. Pure numpy/pandas (no Django).

The names below are loaded on first use (PEP 562), so that importing a light module of the engine (its
errors, say) or starting the ``piiplan`` command does not pay for numpy and pandas.
"""

from __future__ import annotations

import importlib
import sys
import types

_WHERE = {
    "build": "build", "build_dataset": "build", "compile_framework": "build",
    "Dataset": "data", "dataset_from_wide": "data", "read_data": "data",
    "DataError": "errors", "FrameworkError": "errors", "InputError": "errors", "Problem": "errors",
    "RecipeError": "errors",
    "Framework": "framework", "load_framework": "framework",
    "PRESETS": "recipe", "Recipe": "recipe", "preset": "recipe",
    "Results": "results",
}

__all__ = list(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'piiplan.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"piiplan.engine.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _Engine(types.ModuleType):
    """Importing the submodule ``piiplan.engine.build`` would set the package's ``build`` to that module:
    keep the function ``build`` under that name, as an eager ``from … import build`` did."""

    def __setattr__(self, name, value):
        if name in _WHERE and isinstance(value, types.ModuleType) and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Engine
