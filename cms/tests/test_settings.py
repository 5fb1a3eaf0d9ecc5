"""Settings promises: production is safe by default and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-key-for-the-check",
    "ALLOWED_HOSTS": "portal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
}


def run_manage(*args, env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", "--settings=cms.settings.production", env=PROD_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", "--settings=cms.settings.production", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_base_settings_are_safe_by_default():
    from cms.settings import base

    assert base.DEBUG is False
    assert base.LANGUAGE_CODE == "zh-hans"
    assert base.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_sqlite_uses_wal_and_busy_timeout():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20000
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_switches_to_postgresql():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='cms.settings.test';"
            "from django.conf import settings;print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


@pytest.mark.parametrize("redis", [False, True])
def test_production_keeps_renditions_in_worker_memory(redis):
    env = {**PROD_ENV, **({"REDIS_URL": "redis://127.0.0.1:6379/9"} if redis else {})}
    result = run_manage(
        "shell",
        "-c",
        "from wagtail.images.models import Rendition; from django.core.cache import caches;"
        "print(type(Rendition.cache_backend).__name__, type(caches['default']).__name__)",
        "--settings=cms.settings.production",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    backend, default = result.stdout.split()[-2:]
    assert backend == "RenditionCache"  # local memory (cms.rendition_cache)
    assert default == ("RedisCache" if redis else "FileBasedCache")
