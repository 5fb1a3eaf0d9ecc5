import json

import pytest

from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_unreachable_cache(client):
    # A real Redis client pointed at a port nothing listens on.
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error")


@pytest.mark.django_db
def test_healthz_reports_unreachable_database(client, tmp_path):
    # A real SQLite connection to a file in a directory that does not exist.
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "missing-dir" / "db.sqlite3"),
        "OPTIONS": {},
    }
    original = connections["default"]
    connections["default"] = SQLiteWrapper(settings_dict, alias="default")
    try:
        response = client.get("/healthz")
    finally:
        connections["default"].close()
        connections["default"] = original
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"].startswith("error")
    assert body["cache"] == "ok"


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405
