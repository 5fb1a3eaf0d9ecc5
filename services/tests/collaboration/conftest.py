"""A small collaboration platform: two provinces, two academies, items of every kind, experts."""

import time

import pytest

from django.core import signing
from django.core.cache import cache

from cms.factories import OrganisationFactory, RegionFactory
from services import antispam
from services.factories import (
    CollaborationItemPageFactory,
    ExpertIndexPageFactory,
    ExpertPageFactory,
    TechFieldFactory,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    # The rate limit lives in the cache; every test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


def started_token(seconds_ago=10):
    """The hidden start-time token as the form issues it, ``seconds_ago`` seconds ago."""
    return signing.dumps(round(time.time(), antispam.TOKEN_DIGITS) - seconds_ago, salt=antispam.SALT)


@pytest.fixture
def collab(site_tree):
    chongqing = RegionFactory(name="重庆", slug="chongqing", level="province")
    shandong = RegionFactory(name="山东", slug="shandong", level="province")
    wulong = RegionFactory(name="武隆区", slug="wulong", parent=chongqing)
    shizhu = RegionFactory(name="石柱县", slug="shizhu", parent=chongqing)
    cq_academy = OrganisationFactory(
        name="重庆市农业科学院", short_name="重庆市农科院", slug="cq-academy-agricultural-sciences", region=chongqing
    )
    sd_academy = OrganisationFactory(
        name="山东省农业科学院", short_name="山东省农科院", slug="sd-academy-agricultural-sciences", region=shandong
    )
    agronomy = TechFieldFactory(name="农学", slug="agronomy")
    livestock = TechFieldFactory(name="畜禽", slug="livestock")
    map_page = site_tree["collaboration"]
    make = CollaborationItemPageFactory
    items = {
        "platform": make(
            parent=map_page,
            title="鲁渝共建武隆高山蔬菜研究所",
            slug="wulong-institute",
            kind="project",
            field=agronomy,
            region=wulong,
            location="SRID=4326;POINT(107.73 29.47)",
            year=2020,
            partners=[cq_academy, sd_academy],
        ),
        "ginger": make(
            parent=map_page,
            title="鲁中大姜",
            slug="ginger",
            kind="result",
            field=agronomy,
            region=shizhu,
            location="SRID=4326;POINT(108.11 30.0)",
            year=2021,
            partners=[sd_academy],
        ),
        "pig": make(
            parent=map_page,
            title="莱芜黑猪",
            slug="pig",
            kind="result",
            field=livestock,
            region=shizhu,
            location="SRID=4326;POINT(108.2 30.05)",
            year=2019,
            partners=[sd_academy],
        ),
        "base": make(
            parent=map_page,
            title="示例：高山蔬菜示范基地",
            slug="base",
            kind="base",
            field=agronomy,
            region=wulong,
            location="SRID=4326;POINT(107.8 29.4)",
            year=2021,
            partners=[cq_academy],
        ),
    }
    experts_index = ExpertIndexPageFactory(parent=site_tree["home"])
    experts = {
        "cq": ExpertPageFactory(
            parent=experts_index,
            title="示例专家 重庆甲",
            slug="cq-1",
            organisation=cq_academy,
            province=chongqing,
            specialities="高山蔬菜栽培",
            tech_fields=[agronomy],
        ),
        "sd": ExpertPageFactory(
            parent=experts_index,
            title="示例专家 山东乙",
            slug="sd-1",
            organisation=sd_academy,
            province=shandong,
            specialities="黑猪繁育",
            tech_fields=[livestock],
        ),
    }
    return {
        "map": map_page,
        "items": items,
        "experts_index": experts_index,
        "experts": experts,
        "fields": {"agronomy": agronomy, "livestock": livestock},
        "organisations": {"cq": cq_academy, "sd": sd_academy},
    }
