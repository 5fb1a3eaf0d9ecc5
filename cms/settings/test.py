"""Fast, hermetic test settings."""

import os
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105  # nosec B105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_tmp = Path(tempfile.mkdtemp(prefix="cms-test-"))  # noqa: F405
# The browser tests run migrate, load_demo and the server as separate processes that
# must share one media directory, so the environment may fix it.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", _tmp / "media"))  # noqa: F405
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", _tmp / "private-media"))  # noqa: F405
SERVE_MEDIA = True
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Serve static files straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Pages render fresh on every request here; the page-cache tests turn it on themselves.
PAGE_CACHE_SECONDS = 0

# A file-based SQLite test database (not Django's shared in-memory one), so live_server
# tests see real concurrent connections with WAL and IMMEDIATE transactions. The
# directory is per process, so xdist workers never share a file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_tmp / "test.sqlite3")}  # noqa: F405
# Hermetic: no map tiles from the internet (the collaboration map draws markers only).
COLLABORATION_MAP_TILES = {**COLLABORATION_MAP_TILES, "url": "", "labels_url": ""}  # noqa: F405
SEARCH_HITS_FLUSH_SECONDS = 0  # each hit written at once; tests of the batching override it
