"""Permissions-Policy: every response denies the browser features the site never uses."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cms.middleware import permissions_policy_header

BASE_DIR = Path(__file__).resolve().parents[2]
DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort")


def features(header):
    """``camera=(), fullscreen=(self)`` → {"camera": "()", "fullscreen": "(self)"}."""
    return dict(part.strip().split("=", 1) for part in header.split(","))


def assert_denies_everything(header):
    parsed = features(header)
    for feature in DENIED:
        assert parsed.get(feature) == "()", (feature, header)


def test_header_text_from_the_setting():
    header = permissions_policy_header(
        {"camera": [], "fullscreen": ["self"], "autoplay": ["*"], "usb": ["https://a.example"]}
    )
    assert header == 'camera=(), fullscreen=(self), autoplay=*, usb=("https://a.example")'


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/robots.txt",
        "/healthz",
        "/admin/login/",
        "/admin/",  # a redirect to the login page
        "/no-such-page/",  # 404
        "/static/js/share.js",  # served by WhiteNoise before the URL resolver
        "/search/?q=%E5%B0%8F%E5%B7%A8%E4%BA%BA",
    ],
)
def test_every_kind_of_response_carries_the_policy(client, site_tree, url):
    response = client.get(url)
    assert response.status_code in (200, 302, 404), response.status_code
    assert_denies_everything(response["Permissions-Policy"])


@pytest.mark.django_db
def test_collaboration_map_gets_no_geolocation_either(client, site_tree):
    """The map page is the one place geolocation could be wanted; its script never asks for it."""
    response = client.get(site_tree["collaboration"].url)
    assert response.status_code == 200
    assert features(response["Permissions-Policy"])["geolocation"] == "()"
    scripts = "".join(path.read_text(encoding="utf-8") for path in (BASE_DIR / "static" / "js").glob("*.js"))
    assert "geolocation" not in scripts and ".locate(" not in scripts


def test_production_settings_send_the_policy_even_on_the_https_redirect():
    """Under cms.settings.production (HTTPS redirect, HSTS) plain-HTTP and HTTPS answers both carry it."""
    code = (
        "import json, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "plain = client.get('/robots.txt', HTTP_HOST='portal.example.org')\n"
        "secure = client.get('/robots.txt', HTTP_HOST='portal.example.org', secure=True)\n"
        "print(json.dumps({\n"
        "  'plain': [plain.status_code, plain.get('Permissions-Policy')],\n"
        "  'secure': [secure.status_code, secure.get('Permissions-Policy'), secure.get('Strict-Transport-Security')],\n"
        "}))\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env = {
        **clean,
        "SECRET_KEY": "k" * 64,
        "ALLOWED_HOSTS": "portal.example.org",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "CACHE_DIR": str(BASE_DIR / "test-artifacts" / "permissions-policy-cache"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    chosen = json.loads(result.stdout.strip().splitlines()[-1])
    assert chosen["plain"][0] == 301  # SECURE_SSL_REDIRECT
    assert_denies_everything(chosen["plain"][1])
    assert chosen["secure"][0] == 200
    assert_denies_everything(chosen["secure"][1])
    assert chosen["secure"][2].startswith("max-age=")


@pytest.mark.django_db
def test_nul_in_the_path_is_a_400_in_chinese_not_a_database_error(client, site_tree):
    response = client.get("/news/%00/")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    assert "Permissions-Policy" in response  # the outer middleware still adds its headers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "same_as"),
    [
        ("/news/?topic=%00", "/news/"),
        ("/news/?page=%00", "/news/"),
        ("/search/?q=%E5%B0%8F%00%E5%B7%A8%E4%BA%BA", "/search/?q=%E5%B0%8F%E5%B7%A8%E4%BA%BA"),
        ("/policies/?q=%E5%B0%8F%E5%B7%A8%E4%BA%BA%00", "/policies/?q=%E5%B0%8F%E5%B7%A8%E4%BA%BA"),
        ("/?%00=1", "/"),
    ],
)
def test_nul_in_the_query_string_is_dropped(client, site_tree, url, same_as):
    """A NUL never reaches the database (PostgreSQL would fail): the URL answers as without it."""
    response = client.get(url)
    assert response.status_code == client.get(same_as).status_code == 200
