"""WSGI entry point (gunicorn heard.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings.production")

application = get_wsgi_application()

# The objects made while starting (modules, settings, URL patterns, models…) live as long
# as the process: move them out of the garbage collector's reach, so each collection
# during requests looks only at what requests made (measured: a third less time in the
# collector over a run of submissions). With gunicorn --preload this also keeps the
# forked workers' copies of those pages shared.
gc.freeze()
