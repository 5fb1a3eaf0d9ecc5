from io import StringIO

import pytest

from django.core.management import call_command

from services.models import CollaborationItemPage, ExpertPage, ExpertQuestion, TechField

pytestmark = pytest.mark.django_db

SEED_TITLES = {
    "鲁渝中医药康养产业技术创新中心",
    "鲁渝共建武隆高山蔬菜研究所",
    "绣球菌",
    "梨香菊",
    "鲁中大姜",
    "甜樱桃",
    "莱芜黑猪",
}


def test_demo_builds_map_and_expert_board(client):
    call_command("load_demo", "--skip-index", stdout=StringIO())
    items = CollaborationItemPage.objects.live()
    titles = set(items.values_list("title", flat=True))
    assert titles >= SEED_TITLES
    # Anything not from the seed is titled 示例; seed items at invented places say so.
    assert all(title in SEED_TITLES or title.startswith("示例") for title in titles)
    assert all(item.location_is_sample for item in items.filter(title__in=SEED_TITLES))
    assert set(items.values_list("kind", flat=True)) == {"project", "result", "base"}
    assert items.get(title="鲁渝共建武隆高山蔬菜研究所").region.name == "武隆区"

    experts = ExpertPage.objects.live()
    assert all(expert.title.startswith("示例") for expert in experts)
    for field in TechField.objects.all():
        provinces = set(experts.filter(tech_fields=field).values_list("province__slug", flat=True))
        assert provinces == {"chongqing", "shandong"}, field.name
    assert TechField.objects.count() == 6

    html = client.get("/collaboration/", HTTP_HOST="localhost").content.decode()
    for figure in ["70", "225", "105", "4350", "127", "59", "2889"]:
        assert f'<div class="stat-number">{figure}' in html
    data = client.get("/collaboration/points.geojson", HTTP_HOST="localhost").json()
    assert len(data["features"]) == items.count()
    assert client.get("/experts/", HTTP_HOST="localhost").status_code == 200

    before = (items.count(), experts.count(), ExpertQuestion.objects.count())
    call_command("load_demo", "--skip-index", stdout=StringIO())
    assert (items.count(), experts.count(), ExpertQuestion.objects.count()) == before
