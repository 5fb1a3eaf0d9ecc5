"""Elasticsearch unreachable: searches fall back to the database index with a warning.

The production search settings (search_backends: Elasticsearch as ``default`` plus the
database backend as ``db_fallback``) pointed at a real closed port on 127.0.0.1: every
request to the cluster is refused by the kernel, nothing is mocked.
"""

import logging
import socket

import pytest
from elastic_transport import ApiResponseMeta, ConnectionError, ConnectionTimeout, HttpHeaders, NodeConfig
from elasticsearch import ApiError

from django.urls import reverse

from modelsearch.backends import get_search_backend

from home.models import StandardPage
from search.backends import elasticsearch_fallback
from search.elasticsearch_settings import search_backends

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is: nothing listens there


@pytest.fixture
def cluster_down(settings):
    settings.WAGTAILSEARCH_BACKENDS = search_backends([f"http://127.0.0.1:{closed_port()}"], timeout=2)
    elasticsearch_fallback._down_until.clear()
    yield
    elasticsearch_fallback._down_until.clear()


def add_page(parent, title, body):
    page = StandardPage(title=title, body=[("paragraph", f"<p>{body}</p>")])
    parent.add_child(instance=page)
    return page


def test_publishing_with_the_cluster_down_logs_instead_of_failing(home_page, cluster_down, caplog):
    with caplog.at_level(logging.ERROR, logger="modelsearch.index"):
        page = add_page(home_page, "小巨人企业服务行动方案", "重庆出台小巨人服务方案")
        page.save_revision().publish()
    assert any("'default' search backend" in record.getMessage() for record in caplog.records)
    # The database index beside the cluster was updated all the same.
    assert [p.pk for p in get_search_backend("db_fallback").search("小巨人", StandardPage)] == [page.pk]


def test_search_page_answers_from_the_database_with_a_warning(client, home_page, cluster_down, caplog):
    page = add_page(home_page, "小巨人企业服务行动方案", "重庆出台小巨人服务方案")
    add_page(home_page, "超高清视频合作协议", "超高清视频产业")
    with caplog.at_level(logging.WARNING, logger="search.backends.elasticsearch_fallback"):
        response = client.get(reverse("search"), {"q": "小巨人"})
    assert response.status_code == 200
    items = response.context["items"]
    assert [item["page"].pk for item in items] == [page.pk]
    assert response.context["tabs"][0]["count"] == 1
    warnings = [r for r in caplog.records if r.name == "search.backends.elasticsearch_fallback"]
    assert warnings and warnings[0].levelno == logging.WARNING
    assert "Elasticsearch unreachable" in warnings[0].getMessage()
    # For a while the cluster is not asked again: the next searches go straight to the database.
    assert get_search_backend("default").cluster_marked_down()
    caplog.clear()
    response = client.get(reverse("search_suggest"), {"q": "超高清"})
    assert response.status_code == 200
    assert [s["title"] for s in response.json()["suggestions"]] == ["超高清视频合作协议"]


def test_policy_library_search_falls_back(client, site_tree, cluster_down):
    from policy.factories import PolicyPageFactory

    policy = PolicyPageFactory(parent=site_tree["policies"], title="重庆市专精特新小巨人企业服务行动方案")
    PolicyPageFactory(parent=site_tree["policies"], title="示例：人才培训补贴通知")
    response = client.get(site_tree["policies"].url, {"q": "小巨人"})
    assert response.status_code == 200
    html = response.content.decode()
    assert policy.title in html
    assert "人才培训补贴通知" not in html


def test_only_unreachable_cluster_errors_trigger_the_fallback():
    node = NodeConfig("http", "127.0.0.1", 9200)

    def api_error(status):
        meta = ApiResponseMeta(status=status, http_version="1.1", headers=HttpHeaders(), duration=0.0, node=node)
        return ApiError("error", meta, {})

    assert elasticsearch_fallback.cluster_unavailable(ConnectionError("refused"))
    assert elasticsearch_fallback.cluster_unavailable(ConnectionTimeout("timed out"))
    assert elasticsearch_fallback.cluster_unavailable(api_error(503))
    # A malformed query is a bug to see, not an outage to hide.
    assert not elasticsearch_fallback.cluster_unavailable(api_error(400))
