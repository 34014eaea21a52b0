import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunshe.settings.production")
application = get_wsgi_application()

# The URL tables and the compiled templates built now, not in the first requests after a start (web.warmup).
from cunshe.web.warmup import warm_up  # noqa: E402  # needs the settings the application just loaded

warm_up()

# The ~200,000 objects of a loaded Django (and what warm_up built) live as long as the worker: moved out of the
# collector's generations, a full collection no longer walks them on every round (0.3-0.7 s each on a busy 2-core
# machine, in the p99 of bench/pages.py). Objects made by requests are collected as before.
gc.freeze()
