import pytest

from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site():
    from io import StringIO

    call_command("load_demo", "--skip-index", stdout=StringIO())


def test_home_shows_lead_story_latest_news_and_policies(demo_site):
    html = Client().get("/", HTTP_HOST="localhost").content.decode()
    assert 'id="news-heading"' in html and 'id="policy-heading"' in html
    assert "重庆市专精特新“小巨人”企业服务行动方案" in html
    assert "现行有效" in html  # the validity label of the action plan
    # Seven seed stories: one lead, six in the list.
    assert html.count('class="py-2 border-bottom d-flex') == 6
    assert "3011" in html and "659" in html and "118" in html
    for key in ("talent", "testing", "financing", "design", "technology"):
        assert f'href="/services/{key}/"' in html


def test_home_query_count_is_fixed(demo_site, django_assert_max_num_queries):
    client = Client()
    client.get("/", HTTP_HOST="localhost")  # renditions are created on first view
    # The query budget of every public page (cms/tests/test_query_budgets.py).
    with django_assert_max_num_queries(15):
        assert client.get("/", HTTP_HOST="localhost").status_code == 200


def test_home_fetches_only_what_it_shows(demo_site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get("/", HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/", HTTP_HOST="localhost").status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    # Headlines show no bylines, topics, regions or issuers, and no article or policy body.
    for table in ("news_articlebyline", "news_articlepage_topics", "news_articlepage_regions", "policy_policyissuer"):
        assert f'"{table}"' not in sql, table
    assert '"news_articlepage"."body"' not in sql and '"policy_policypage"."body"' not in sql
