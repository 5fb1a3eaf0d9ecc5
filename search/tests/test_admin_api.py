"""Wagtail's own search surfaces go through the same backend."""

import pytest

from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_page_search_finds_word_inside_title(seed_pages, admin_client):
    response = admin_client.get("/admin/pages/search/", {"q": "小巨人"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "重庆出台专精特新“小巨人”企业服务行动方案" in html
    assert "成渝两地三企签署超高清视频研发应用战略合作协议" not in html


def test_admin_page_search_prefix(seed_pages, admin_client):
    response = admin_client.get("/admin/pages/search/", {"q": "超高"})
    assert "成渝两地三企签署超高清视频研发应用战略合作协议" in response.content.decode()


def test_api_search_finds_word_inside_title(seed_pages, client):
    response = client.get("/api/v2/pages/", {"search": "小巨人"})
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert "重庆出台专精特新“小巨人”企业服务行动方案" in titles
    assert "关于印发《重庆市专精特新“小巨人”企业服务行动方案》的通知" in titles
    assert "鲁渝科技协作信息服务平台正式上线" not in titles


def test_api_search_mixed_token(seed_pages, client):
    response = client.get("/api/v2/pages/", {"search": "300TEU"})
    titles = [item["title"] for item in response.json()["items"]]
    assert titles == ["我国自主研发的智能航行船舶在青岛海试"]
