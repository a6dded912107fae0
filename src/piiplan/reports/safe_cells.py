"""Re-export of :mod:`piiplan.safe_cells` (the rule lives below the engine, so every layer can use it)."""

from piiplan.safe_cells import FORMULA_STARTS, is_dangerous, safe_frame, safe_row, safe_text, set_text, unquote  # noqa: F401
