"""pytest plugin, loaded first (``-p ky.pytest_env`` in pyproject's addopts): a test run is a development
installation. It may start the embedded servers for unset URLs (KY_EMBEDDED), has a throwaway
SECRET_KEY, and its live servers speak plain HTTP (KY_HTTPS=0). Values already set win, so a run
against real servers (DATABASE_URL, REDIS_URL) uses them. Set before pytest-django reads the settings."""

import os

os.environ.setdefault("KY_EMBEDDED", "1")
os.environ.setdefault("SECRET_KEY", "ky-test-run-only-secret-key-not-for-any-installation-0123456789")
os.environ.setdefault("KY_HTTPS", "0")
