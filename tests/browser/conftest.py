"""Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live_server.

Browser tests use ``page`` and ``live_server``; log in with ``login(page, live_server, username)``
(every factory user's password is ``hemmelig-kode``).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed (make test installs it with apt-get)")
    with sync_playwright() as pw:
        from playwright.sync_api import expect

        # a 2-core CI machine renders a live_server page in more than expect()'s default 5 s when loaded
        expect.set_options(timeout=20_000)
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK")
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    context.close()


def login(page, live_server, username, password="hemmelig-kode"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")
