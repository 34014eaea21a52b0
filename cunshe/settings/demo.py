"""The demo (`python3 run.py demo`): the development database and accounts, served as in production would be seen,
with DEBUG off — the Chinese error pages, no URL list on a 404 and no traceback on a 500 — and static files served
by the app itself (WhiteNoise reading the source folders, so no collectstatic is needed)."""

import os

from .local import *  # noqa: F403

DEBUG = False
# The demo may be opened from another machine of the office (run.py demo 0.0.0.0:8000); its accounts are public.
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "*").split(",") if h]
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
