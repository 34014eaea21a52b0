"""Settings for bench/pages.py only: production settings plus one bare view (bench/pages_urls.py).

Never used by the application: the bare view exists only while the benchmark runs. Differences from a real
deployment, each because the benchmark has no nginx in front: no HTTPS redirect (CUNSHE_SSL_REDIRECT=0 is set by
the script, and it sends X-Forwarded-Proto: https as nginx would), and static files through the finders instead of a
collectstatic manifest (no page the benchmark fetches serves a static file itself).
"""

from cunshe.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
