"""`piiplan` commands of the engine family (see docs/cli.md)."""

from __future__ import annotations


def register(sub) -> None:
    """Add this family's sub-commands to the top-level parser."""
