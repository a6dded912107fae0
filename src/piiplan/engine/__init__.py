"""The PII engine: framework, data, recipe, pipeline steps, results. Pure numpy/pandas (no Django)."""

from piiplan.engine.build import build, build_dataset, compile_framework
from piiplan.engine.data import Dataset, dataset_from_wide, read_data
from piiplan.engine.errors import DataError, FrameworkError, InputError, Problem, RecipeError
from piiplan.engine.framework import Framework, load_framework
from piiplan.engine.recipe import PRESETS, Recipe, preset
from piiplan.engine.results import Results

__all__ = ["build", "build_dataset", "compile_framework", "Dataset", "dataset_from_wide", "read_data",
           "DataError", "FrameworkError", "InputError", "Problem", "RecipeError", "Framework", "load_framework",
           "PRESETS", "Recipe", "preset", "Results"]
