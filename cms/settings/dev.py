"""Local development: DEBUG on, a fixed (public, non-secret) key, console email."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production"  # noqa: S105  # nosec B105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SERVE_MEDIA = True

# Plain storage so runserver serves files without collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Pages render fresh on every request here; the page-cache tests turn it on themselves.
PAGE_CACHE_SECONDS = 0
