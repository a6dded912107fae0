"""The synthetic, calibrated demo panel: 34 provinces × 2023–2025 × the 52 PII 2025 indicators.

``load_demo()`` returns the shipped panel (``src/piiplan/data/demo/``) as an engine ``Dataset``;
``demo_framework()`` the framework it is made for. Whatever shows these numbers must show
``SYNTHETIC_LABEL``. The files are written by ``piiplan demo-data`` (``piiplan.demo.generate``); see
``docs/demo-data.md``.
"""

from __future__ import annotations

from piiplan.demo.labels import DEFAULT_SEED, FRAMEWORK, SYNTHETIC_LABEL

_LOADERS = ("demo_dir", "demo_framework", "demo_metadata", "load_demo")


def __getattr__(name: str):
    """The loaders come from ``piiplan.demo.load`` on first use (it needs pandas; the labels do not)."""
    if name in _LOADERS:
        from piiplan.demo import load

        return getattr(load, name)
    raise AttributeError(f"module 'piiplan.demo' has no attribute {name!r}")

__all__ = ["SYNTHETIC_LABEL", "DEFAULT_SEED", "FRAMEWORK", "demo_dir", "demo_framework", "demo_metadata",
           "load_demo"]
