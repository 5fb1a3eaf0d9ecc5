"""Two app servers, one PostgreSQL, one Redis: a visitor may land on either.

Runs where DATABASE_URL names PostgreSQL (CI's second pass) and Redis answers.
"""

import os
import socket

import pytest

from cms import roles
from cms.tests.twoservers import Browser, Cluster, form_fields

REDIS_URL = os.environ.get("TWO_SERVER_REDIS_URL", "redis://127.0.0.1:6379/3")


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or not redis_answers(),
    reason="needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379",
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(os.environ["DATABASE_URL"], REDIS_URL, tmp_path_factory.mktemp("two-servers"))
    try:
        cluster.manage("migrate", "--noinput", "-v0")
        cluster.manage("load_demo", "-v0")
        cluster.a = cluster.start("a")
        cluster.b = cluster.start("b")
        yield cluster
    finally:
        cluster.stop()


def login(browser, base, username):
    status, _headers, _html = browser.get(base + "/admin/login/")
    assert status == 200
    status, _headers, _ = browser.post(
        base + "/admin/login/",
        {"username": username, "password": roles.DEMO_PASSWORD, "next": "/admin/"},
        referer=base + "/admin/login/",
    )
    assert status == 302, "login failed"


def test_session_started_on_a_works_on_b(cluster):
    browser = Browser()
    login(browser, cluster.a, "admin")
    status, _headers, html = browser.get(cluster.b + "/admin/")
    assert status == 200
    assert "控制面板" in html


def test_page_published_through_a_is_visible_on_b_at_once(cluster):
    visitor = Browser()
    # Warm B's view of the home page into the shared cache.
    status, _headers, html = visitor.get(cluster.b + "/")
    assert status == 200
    assert "双服务器测试页面" not in html
    assert visitor.get(cluster.b + "/")[1].get("X-Page-Cache") == "hit"

    editor = Browser()
    login(editor, cluster.a, "admin")
    home_id = cluster.manage(
        "shell", "-c", "from home.models import HomePage; print(HomePage.objects.get().pk)"
    ).split()[-1]
    add_url = f"{cluster.a}/admin/pages/add/home/standardpage/{home_id}/"
    status, _h, html = editor.get(add_url)
    assert status == 200
    fields = dict(form_fields(html, "page-edit-form"))
    # The StreamField editor builds its inputs in JavaScript; an empty body says so itself.
    fields.update({"body-count": "0", "title": "双服务器测试页面", "slug": "two-servers", "show_in_menus": "on"})
    fields["action-publish"] = "1"
    status, _headers, body = editor.post(add_url, fields, referer=add_url)
    assert status == 302, body[:2000]

    status, _headers, html = visitor.get(cluster.b + "/")
    assert "双服务器测试页面" in html  # B's cached home page was invalidated through Redis
    status, _h, _html = visitor.get(cluster.b + "/two-servers/")
    assert status == 200
