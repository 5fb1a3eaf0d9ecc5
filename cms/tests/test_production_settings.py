"""Production settings read from the environment; checked without the servers they name."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BASE_ENV = {
    "SECRET_KEY": "k" * 64,
    "ALLOWED_HOSTS": "portal.example.org",
}


def production_settings(**env):
    """Import cms.settings.production in a fresh interpreter and return chosen values."""
    code = (
        "import json, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "print(json.dumps({\n"
        "  'db': settings.DATABASES['default']['ENGINE'],\n"
        "  'conn_max_age': settings.DATABASES['default'].get('CONN_MAX_AGE'),\n"
        "  'health': settings.DATABASES['default'].get('CONN_HEALTH_CHECKS'),\n"
        "  'cache': settings.CACHES['default']['BACKEND'],\n"
        "  'session': settings.SESSION_ENGINE,\n"
        "  'tasks': settings.TASKS['default']['BACKEND'],\n"
        "  'storage': settings.STORAGES['default']['BACKEND'],\n"
        "  'private': settings.STORAGES['private'],\n"
        "  'search': settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'],\n"
        "  'frontend_cache': sorted(settings.WAGTAILFRONTENDCACHE),\n"
        "  'email': [settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS],\n"
        "  'csrf': settings.CSRF_TRUSTED_ORIGINS,\n"
        "}, default=str))\n"
    )
    return run_with_production_settings(code, **env)


def run_with_production_settings(code, **env):
    """Run ``code`` in a fresh interpreter with production settings; the JSON it printed last."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, **BASE_ENV, "DJANGO_SETTINGS_MODULE": "cms.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_defaults():
    chosen = production_settings()
    assert chosen["db"] == "django.db.backends.sqlite3"
    assert chosen["cache"].endswith("FileBasedCache")  # shared by all workers on the machine
    assert chosen["session"] == "django.contrib.sessions.backends.db"
    assert chosen["tasks"].endswith("ImmediateBackend")
    assert chosen["storage"] == "cms.kept_urls.MediaStorage"  # the file system, URLs kept
    assert chosen["private"]["OPTIONS"]["base_url"] is None


def test_scale_out_services_from_environment():
    chosen = production_settings(
        DATABASE_URL="postgres://portal:pw@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
        TASKS_BACKEND="database",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        FRONTEND_CACHE_PURGE_URL="http://varnish.internal:6081",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        CSRF_TRUSTED_ORIGINS="https://portal.example.org",
    )
    assert chosen["db"] == "django.db.backends.postgresql"
    assert chosen["conn_max_age"] == 60
    assert chosen["health"] is True
    assert chosen["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert chosen["session"] == "django.contrib.sessions.backends.cached_db"
    assert chosen["tasks"] == "django_tasks_db.DatabaseBackend"
    assert chosen["storage"] == "storages.backends.s3.S3Storage"
    assert chosen["private"]["OPTIONS"]["default_acl"] == "private"
    assert chosen["private"]["OPTIONS"]["querystring_auth"] is True
    assert chosen["frontend_cache"] == ["http"]
    assert chosen["email"] == ["smtp.example.org", 587, True]
    assert chosen["csrf"] == ["https://portal.example.org"]


def test_sqlite_connection_is_kept_between_requests(tmp_path):
    """A worker reuses its SQLite connection; a new one per request cost about 1.5 ms."""
    code = (
        "import json, django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "seen = []\n"
        "for _ in range(3):\n"
        "    status = client.get('/healthz', HTTP_HOST='portal.example.org', secure=True).status_code\n"
        "    seen.append([status, id(connection.connection)])\n"
        "print(json.dumps(seen))\n"
    )
    seen = run_with_production_settings(
        code, SQLITE_PATH=str(tmp_path / "db.sqlite3"), CACHE_DIR=str(tmp_path / "cache")
    )
    assert [status for status, _ in seen] == [200, 200, 200]
    assert len({conn for _, conn in seen}) == 1, "each request opened a new database connection"
    assert production_settings()["conn_max_age"] == 60
