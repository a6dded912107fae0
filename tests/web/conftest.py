"""Web test helpers. The personas themselves live in tests/conftest.py (shared with tests/plan)."""

from __future__ import annotations

import pytest


@pytest.fixture
def login_url():
    from django.urls import reverse

    return reverse("accounts:login")
