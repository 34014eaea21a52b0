"""Settings shared by every environment; everything that differs between deployments comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CUNSHE_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_htmx",
    "axes",
    "cunshe.regions",
    "cunshe.accounts",
    "cunshe.people",
    "cunshe.teams",
    "cunshe.termchanges",
    "cunshe.eligibility",
    "cunshe.handovers",
    "cunshe.commitments",
    "cunshe.command",
    "cunshe.reviews",
    "cunshe.visits",
    "cunshe.issueboard",
    "cunshe.readiness",
    "cunshe.assessments",
    "cunshe.reserves",
    "cunshe.negativelist",
    "cunshe.elections",
    "cunshe.voters",
    "cunshe.candidates",
    "cunshe.polling",
    "cunshe.counts",
    "cunshe.results",
    "cunshe.firstyear",
    "cunshe.trainings",
    "cunshe.decisions",
    "cunshe.disclosures",
    "cunshe.partywork",
    "cunshe.surveys",
    "cunshe.serviceteams",
    "cunshe.points",
    "cunshe.volunteers",
    "cunshe.carelist",
    "cunshe.annuallists",
    "cunshe.breakthroughs",
    "cunshe.education",
    "cunshe.firstsecretaries",
    "cunshe.talks",
    "cunshe.liaison",
    "cunshe.directory",
    "cunshe.requests",
    "cunshe.appraisals",
    "cunshe.investigations",
    "cunshe.dailychecks",
    "cunshe.records",
    "cunshe.deadlines",
    "cunshe.web",
    "cunshe.demo",
    "cunshe.notifications",
    "cunshe.offline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cunshe.records.kept.KeptPerRequest",
    "cunshe.web.csp.PagePolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cunshe.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cunshe.web.plaintext.PlainTextFormMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cunshe.accounts.middleware.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "cunshe.web.errors.OddNumbersMiddleware",
]

ROOT_URLCONF = "cunshe.urls"
WSGI_APPLICATION = "cunshe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cunshe.web.context.shell",
                "cunshe.notifications.context.bell",
            ],
        },
    },
]
# Django's form renderer with a select's options written inline: a village picker is 800-900 options (issue 15).
FORM_RENDERER = "cunshe.web.forms_renderer.FormRenderer"


# Each worker keeps its connection (checked before reuse): a new connection per request cost a connect and, on SQLite,
# the PRAGMAs below on every page. The PRAGMAs are per connection, so they now run once per worker connection.
CONN_MAX_AGE = int(os.environ.get("CUNSHE_CONN_MAX_AGE", "60"))


def _database_from_environment() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        parsed: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True))
        if parsed["ENGINE"] == "django.db.backends.postgresql":
            # Django's backend, the health check asked only of a connection that has been idle (core/postgresql).
            parsed["ENGINE"] = "cunshe.core.postgresql"
            # Its per-request statements (the session, the API token) are kept prepared on the server; 0 turns that
            # off, for a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode: docs/deploy.md).
            if os.environ.get("CUNSHE_PG_PREPARED", "1") == "0":
                parsed.setdefault("OPTIONS", {})["prepare_threshold"] = None
        return parsed
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        # Django's backend with a fair write lock in front of BEGIN IMMEDIATE (cunshe/core/sqlite/base.py).
        "ENGINE": "cunshe.core.sqlite",
        "NAME": os.environ.get("CUNSHE_SQLITE_PATH", str(VAR_DIR / "cunshe.sqlite3")),
        "OPTIONS": {
            # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN,
            # which serialises record-book chains without deadlocks. case_sensitive_like lets SQLite use
            # the index for the code-prefix queries that every region filter is.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
                "PRAGMA case_sensitive_like=ON; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per process (each gunicorn worker its own): values kept while the record book has not moved — the home page's
# to-do summary, the roll-up tables — and a user's grants and unread count while their marker has not moved
# (cunshe/records/kept.py). Nothing here must be shared between workers.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "summaries": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "summaries",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "cunshe.accounts.lockout.AddressLimitBackend",
    # ModelBackend with a cheaper per-request user read (issue 15); a session signed in before it names ModelBackend
    # and is asked to sign in again once.
    "cunshe.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): 5 failures lock the account for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CUNSHE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CUNSHE_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cunshe.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Without a proxy in front, the client address is the socket's; a forwarded header could be forged to dodge lockout.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# A client's address is also limited across usernames: this many failed logins from one address within the
# cool-off time lock the address (trying one password on every account); per account it stays AXES_FAILURE_LIMIT.
CUNSHE_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CUNSHE_ADDRESS_FAILURE_LIMIT", "20"))
# API tokens expire this many days after they are issued (shown on issue).
CUNSHE_API_TOKEN_DAYS = int(os.environ.get("CUNSHE_API_TOKEN_DAYS", "30"))
# A JSON body may carry a 5 MB scan as base64 (6.7 MB) with its fields; multipart files do not count here.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# Sessions end after two idle hours and when the browser closes: field phones get lost. A session is not written on
# every request (a write per page was most of a signed-in page's cost): SessionRefreshMiddleware renews the expiry
# when a twelfth of the age has passed since the last renewal, so idle expiry holds (up to 10 minutes early).
SESSION_COOKIE_AGE = int(os.environ.get("CUNSHE_SESSION_SECONDS", str(2 * 60 * 60)))
SESSION_ENGINE = "cunshe.accounts.sessions"  # Django's database sessions, read with one written-out statement
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["cunshe.web.formats"]  # ISO first for date inputs (see the module)
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CUNSHE_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Front-end packages come from the npm registry at install time and are served from here, never from a CDN.
# Only the files pages load are served (cunshe/web/staticfinders.py), not a package's every build.
STATIC_PACKAGE_FILES = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist", ["htmx.min.js"]),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist", ["echarts.min.js"]),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build", ["umd.js"]),
    # Workbox's loader and the modules the service worker uses, side by side under one prefix as the loader expects
    # (cunshe/offline/templates/offline/sw.js); the source maps because the files name them.
    *(
        ("vendor/workbox", BASE_DIR / "node_modules" / name / "build", [f"{name}{suffix}.js", f"{name}{suffix}.js.map"])
        for name, suffix in [
            ("workbox-sw", ""),
            ("workbox-core", ".prod"),
            ("workbox-routing", ".prod"),
            ("workbox-strategies", ".prod"),
            ("workbox-expiration", ".prod"),
        ]
    ),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "cunshe.web.staticfinders.PackageFileFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("CUNSHE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# The record book's anchors (cunshe/records/anchors.py): a folder the database cannot rewrite and the file holding the
# signing key, which is read only by the anchor code and never stored in the database (docs/deploy.md, section 9).
RECORDS_ANCHOR_DIR = os.environ.get("CUNSHE_ANCHOR_DIR", "")
RECORDS_ANCHOR_KEY_FILE = os.environ.get("CUNSHE_ANCHOR_KEY_FILE", "")

# Content-Security-Policy (Django's own middleware): pages load nothing from elsewhere and run no inline script
# (behaviour lives in static/cunshe/menu.js) but one marked with the response's nonce (the self-contained poster). Inline style attributes and htmx's indicator styles stay allowed: a
# style cannot run code, and the templates set widths inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CSRF_FAILURE_VIEW = "cunshe.web.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CUNSHE_LOG_LEVEL", "WARNING")},
}

# Working hours for deadlines counted in working days (half-days count): two equal halves of a working day.
CUNSHE_WORKDAY_HALVES = (("08:30", "12:00"), ("13:30", "17:00"))

# Notifications: links in e-mails, SMS and group messages point here (docs/deploy.md, "通知").
CUNSHE_SITE_URL = os.environ.get("CUNSHE_SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "cunshe@localhost")
