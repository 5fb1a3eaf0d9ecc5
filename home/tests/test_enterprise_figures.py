"""The home page's published enterprise figures are shown beside the register's, flagged when they differ."""

import pytest

from django.contrib.auth import get_user_model

from home.wagtail_hooks import home_page_enterprise_figures, tier_of
from services.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

STATISTICS = [
    ("statistic", {"value": "3", "unit": "家", "label": "“专精特新”中小企业培育入库企业"}),
    ("statistic", {"value": "1", "unit": "家", "label": "市级“专精特新”企业"}),
    ("statistic", {"value": "118", "unit": "家", "label": "国家级专精特新“小巨人”企业"}),
    ("statistic", {"value": "23", "unit": "家", "label": "获得中央财政奖补企业"}),
]


def test_labels_map_to_tiers():
    assert tier_of("国家级专精特新“小巨人”企业") == "national"
    assert tier_of("市级“专精特新”企业") == "municipal"
    assert tier_of("“专精特新”中小企业培育入库企业") == "cultivation"
    assert tier_of("获得中央财政奖补企业") is None


def test_analysis_shows_both_figures_and_flags_the_differences(client, home_page):
    home_page.statistics = STATISTICS
    home_page.save_revision().publish()
    for _n in range(3):
        EnterpriseFactory(tier="cultivation")
    EnterpriseFactory(tier="municipal")
    EnterpriseFactory(tier="national")
    assert [figure[1:3] for figure in home_page_enterprise_figures()] == [
        ("cultivation", "3"),
        ("municipal", "1"),
        ("national", "118"),
    ]
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "pw"))
    response = client.get("/admin/enterprise-analysis/")
    checks = {
        check.label: (check.published, check.register, check.agrees) for check in response.context["figure_checks"]
    }
    assert checks == {
        "“专精特新”中小企业培育入库企业": ("3", 3, True),
        "市级“专精特新”企业": ("1", 1, True),
        "国家级专精特新“小巨人”企业": ("118", 1, False),
    }
    html = response.content.decode()
    assert "首页发布的统计数字与企业库的数字不一致" in html
    assert html.count("figure-differs") == 1 and html.count("figure-agrees") == 2


def test_no_warning_when_all_agree(client, home_page):
    home_page.statistics = STATISTICS[:2]
    home_page.save_revision().publish()
    for _n in range(3):
        EnterpriseFactory(tier="cultivation")
    EnterpriseFactory(tier="municipal")
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "pw"))
    html = client.get("/admin/enterprise-analysis/").content.decode()
    assert "figure-agrees" in html and "figure-differs" not in html
    assert "首页发布的统计数字与企业库的数字不一致" not in html
