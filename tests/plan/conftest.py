"""Fixtures of the plan tests: ``world`` (tests/plan/world.py) around the personas."""

from __future__ import annotations

import pytest

from tests.plan.world import make_world


@pytest.fixture
def world(personas):
    return make_world(personas)
