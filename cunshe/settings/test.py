"""Tests: fast hashing, no lockout noise between tests, same database choice as everywhere (DATABASE_URL or SQLite)."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests change data without the record book now and then (fixtures, bulk rows): no summary survives a request.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "summaries": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# pytest-django gives each xdist worker its own database by suffixing the name, except for Django's own SQLite
# engine, whose test database is in memory; cunshe's SQLite engine (cunshe/core/sqlite) says so explicitly.
if DATABASES["default"]["ENGINE"] == "cunshe.core.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
# Built from the models, the migrations recorded and their rows loaded: conftest.py says why and how.
DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False  # noqa: F405
