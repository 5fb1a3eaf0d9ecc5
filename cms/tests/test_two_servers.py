"""Two app servers, one PostgreSQL, one Redis: a visitor may land on either.

Runs where DATABASE_URL names PostgreSQL (CI's second pass) and Redis answers.
"""

import os
import re
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
        cluster.manage("collectstatic", "--noinput", "-v0")
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


def submit_financing_request(browser, base):
    """Fill the financing form as a person would (including the minimum fill time)."""
    import time

    from services.validators import credit_code_check_character

    url = base + "/services/financing/"
    status, _headers, html = browser.get(url)
    assert status == 200
    fields = dict(form_fields(html))
    first17 = "91500000MA5U00002"
    fields.update(
        {
            "company_name": "示例双服务器企业",
            "credit_code": first17 + credit_code_check_character(first17),
            "tier": "municipal",
            "industry": "软件和信息技术服务",
            "employees": "30",
            "contact_name": "李经理",
            "phone": "13900139000",
            "description": "需要贷款",
            "consent": "on",
            "detail-amount": "100",
            "detail-purpose": "研发",
            "detail-term_months": "12",
            "detail-financing_type": "loan",
            "detail-last_year_revenue": "500",
        }
    )
    region = re.search(r'<option value="(\d+)"[^>]*>江北区</option>', html)
    fields["region"] = region.group(1)
    time.sleep(3.2)  # the form refuses submissions faster than a person types
    status, headers, body = browser.post(url, fields, referer=url)
    assert status == 302, body[:3000]
    receipt_url = headers["Location"]
    status, _headers, html = browser.get(base + receipt_url if receipt_url.startswith("/") else receipt_url)
    return re.search(r'id="reference">([^<]+)<', html).group(1).strip()


def track(browser, base, reference, phone):
    url = base + "/services/track/"
    browser.get(url)
    return browser.post(url, {"reference": reference, "phone": phone}, referer=url)


def test_request_submitted_on_a_is_tracked_on_b(cluster):
    sme = Browser()
    reference = submit_financing_request(sme, cluster.a)
    status, _headers, html = track(Browser(), cluster.b, reference, "13900139000")
    assert status == 200
    assert "已提交" in html and reference in html


def test_rate_limit_hit_on_a_holds_on_b(cluster):
    reference = submit_financing_request(Browser(), cluster.a)
    visitor = Browser()
    for _ in range(5):
        status, _headers, _html = track(visitor, cluster.a, reference, "13000000000")  # wrong phone
        assert status == 404
    status, _headers, html = track(visitor, cluster.b, reference, "13900139000")  # right pair, other server
    assert status == 429
    assert "查询失败次数过多" in html
