"""Tests: fast hashing, no lockout noise between tests, same database choice as everywhere (DATABASE_URL or SQLite)."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # A test database's tables are analysed while empty (a flush, a fresh migrate), so the planner may take tables of
    # thousands of rows for empty ones and nest seq scans inside each other: a join of a few tables then ran for
    # minutes. Tests need no nested loops; production keeps real statistics and the default planner.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c enable_nestloop=off"  # noqa: F405
