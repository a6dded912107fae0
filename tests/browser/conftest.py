"""Browser tests: pytest-django's live_server driven by Playwright (sync API) on Debian's chromium.

``playwright install`` cannot download browsers here; the project's set-up installs the
Debian ``chromium`` package and the tests launch ``/usr/bin/chromium`` (override with
``PIIPLAN_CHROMIUM``). Every test is marked ``browser`` (``-m "not browser"`` skips them).

Fixtures: ``browser`` (one chromium per session), ``page`` (a fresh context per test; a
screenshot of the last state is saved under ``artifacts/screenshots/`` after every test),
``login_as(role)`` (signs a persona in through the login form and returns the page),
``shot(page, name)`` (an extra screenshot at any step).
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told this is safe (it is: nothing else runs in that loop).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("PIIPLAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        message = f"chromium not found at {CHROMIUM}: run scripts/setup.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


def _safe(name: str) -> str:
    name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150]


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{_safe(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def page(browser, request, shot):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    try:
        if page.url.startswith("http"):
            shot(page, request.node.name)
    finally:
        context.close()


@pytest.fixture
def login_as(page, live_server, personas):
    """``login_as("agency")`` → the page, signed in as that persona through the login form."""

    def sign_in(role: str):
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        if role == "anonymous":
            page.goto(f"{live_server.url}/")
            return page
        user = personas.by_role[role]
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", personas.password)
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        return page

    return sign_in
