"""Constants of the demo panel, importable by every module of ``piiplan.demo`` (re-exported there)."""

SYNTHETIC_LABEL = "Dữ liệu mô phỏng — không phải số liệu chính thức"
DEFAULT_SEED = 2025
FRAMEWORK = "pii-2025"
