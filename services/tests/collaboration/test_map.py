import json
import re

import pytest

from services.factories import CollaborationItemPageFactory, TechFieldFactory

pytestmark = pytest.mark.django_db


def geojson(client, query=""):
    response = client.get("/collaboration/points.geojson" + (f"?{query}" if query else ""))
    return response


def geojson_ids(client, query=""):
    response = geojson(client, query)
    assert response.status_code == 200, response.content
    return {feature["id"] for feature in response.json()["features"]}


def list_ids(client, query=""):
    """Ids of items in the no-JS list, following its pagination to the end."""
    ids, number = set(), 1
    while True:
        separator = "&" if query else ""
        html = client.get(f"/collaboration/?{query}{separator}page={number}").content.decode()
        ids |= {int(pk) for pk in re.findall(r'class="collab-item[^"]*" data-kind="\w+" data-id="(\d+)"', html)}
        if f"page={number + 1}#item-list" not in html:
            return ids
        number += 1


def assert_rfc7946(data):
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data  # RFC 7946 §4: no crs member, WGS-84 implied
    assert isinstance(data["features"], list)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], (int, str))
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lng, lat = geometry["coordinates"]
        assert len(geometry["coordinates"]) == 2
        assert -180 <= lng <= 180 and -90 <= lat <= 90
        # Every point of ours is in Chongqing: longitude ~105-110 comes first, latitude ~28-32 second.
        assert 105 < lng < 111 and 28 < lat < 33


def test_map_page_renders_markers_config_and_list(client, collab):
    collab["map"].figures = [("figure", {"value": "70", "unit": "项", "label": "鲁渝扶贫协作项目"})]
    collab["map"].save_revision().publish()
    response = client.get("/collaboration/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "unpkg" not in html
    assert 'id="collab-map"' in html
    config = json.loads(
        re.search(r'<script id="collab-map-config" type="application/json">(.*?)</script>', html).group(1)
    )
    assert config["geojson"] == "/collaboration/points.geojson"
    assert config["tiles"]["crs"] == "wgs84" and config["tiles"]["maxZoom"] == 19
    assert set(config["colours"]) == {"project", "result", "base"}
    for item in collab["items"].values():
        assert item.title in html
    assert "70" in html and "鲁渝扶贫协作项目" in html
    assert "合作项目" in html and "科技成果" in html and "示范基地" in html
    # The markers the map draws: one feature per published item.
    ids = geojson_ids(client)
    assert ids == {item.pk for item in collab["items"].values()}


def test_geojson_is_valid_rfc7946(client, collab):
    response = geojson(client)
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert_rfc7946(data)
    feature = next(f for f in data["features"] if f["id"] == collab["items"]["platform"].pk)
    assert feature["geometry"]["coordinates"] == [107.73, 29.47]
    props = feature["properties"]
    assert props["title"] == "鲁渝共建武隆高山蔬菜研究所"
    assert props["kind"] == "project" and props["kind_label"] == "合作项目"
    assert props["place"] and props["summary"] and props["url"].endswith("/collaboration/wulong-institute/")
    assert "map_latlng" not in props


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"platform", "ginger", "pig", "base"}),
        ("kind=result", {"ginger", "pig"}),
        ("kind=base", {"base"}),
        ("field=livestock", {"pig"}),
        ("region=wulong", {"platform", "base"}),
        ("year=2021", {"ginger", "base"}),
        ("partner_province=shandong", {"platform", "ginger", "pig"}),
        ("partner_province=chongqing", {"platform", "base"}),
        ("kind=result&year=2021&partner_province=shandong", {"ginger"}),
        ("kind=base&field=livestock", set()),
    ],
)
def test_filters_change_geojson_and_list_alike(client, collab, query, expected):
    wanted = {collab["items"][key].pk for key in expected}
    assert geojson_ids(client, query) == wanted
    assert list_ids(client, query) == wanted
    # The fragment the script swaps in shows the same items.
    fragment = client.get(f"/collaboration/list/?{query}").content.decode()
    assert {int(pk) for pk in re.findall(r'data-id="(\d+)"', fragment)} == wanted


def test_list_is_paginated_and_pages_cover_what_the_map_shows(client, collab):
    page = collab["map"]
    page.items_per_page = 3
    page.save_revision().publish()
    extra = [
        CollaborationItemPageFactory(parent=page, title=f"示例：分页条目{n}", slug=f"extra-{n}", year=2018)
        for n in range(4)
    ]
    first = client.get("/collaboration/").content.decode()
    assert "共 8 个条目" in first and 'aria-current="page"' in first
    assert len(re.findall(r'data-id="(\d+)"', first)) == 3
    assert list_ids(client) == geojson_ids(client) == {p.pk for p in [*collab["items"].values(), *extra]}
    # Filtered pages keep the filter in their links.
    html = client.get("/collaboration/?year=2018").content.decode()
    assert "year=2018&amp;page=2" in html


def test_unpublished_items_are_on_neither_map_nor_list(client, collab):
    ginger = collab["items"]["ginger"]
    ginger.unpublish()
    assert ginger.pk not in geojson_ids(client)
    assert ginger.pk not in list_ids(client)


@pytest.mark.parametrize("query", ["kind=volcano", "year=abc", "region=<script>", "field=nope&kind=result"])
def test_bad_filter_values_get_a_chinese_message_not_a_500(client, collab, query):
    response = geojson(client, query)
    assert response.status_code == 400
    assert "此条件已忽略" in json.dumps(response.json(), ensure_ascii=False)
    page = client.get(f"/collaboration/?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "此条件已忽略" in html and "is-invalid" in html
    assert "<script>" not in html.split('id="collab-filters"')[1].split("</form>")[0]


def test_bad_page_number_falls_back_instead_of_failing(client, collab):
    for number in ["0", "999", "abc"]:
        assert client.get(f"/collaboration/?page={number}").status_code == 200


def test_item_text_is_escaped_in_page_and_list(client, collab):
    CollaborationItemPageFactory(parent=collab["map"], title="<script>alert(1)</script>", slug="xss")
    html = client.get("/collaboration/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_gcj02_tiles_add_display_coordinates_but_keep_wgs84_geometry(client, collab, settings):
    settings.COLLABORATION_MAP_TILES = {**settings.COLLABORATION_MAP_TILES, "crs": "gcj02"}
    data = geojson(client).json()
    assert_rfc7946(data)
    feature = next(f for f in data["features"] if f["id"] == collab["items"]["platform"].pk)
    assert feature["geometry"]["coordinates"] == [107.73, 29.47]
    lat, lng = feature["properties"]["map_latlng"]
    assert 0.001 < lng - 107.73 < 0.01 and -0.01 < lat - 29.47 < 0


def test_item_page_renders_details(client, collab):
    item = collab["items"]["platform"]
    item.effects = "效果显著"
    item.natural_conditions = "海拔800米以上"
    item.save_revision().publish()
    html = client.get(item.url).content.decode()
    assert "效果显著" in html and "海拔800米以上" in html and "重庆市农科院" in html and "示例位置" in html


def test_geojson_and_list_query_counts_do_not_grow_with_items(client, collab, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        cache.clear()  # measure the cold path
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count("/collaboration/points.geojson"), count("/collaboration/")  # warm per-process caches
    before = (count("/collaboration/points.geojson"), count("/collaboration/"))
    field = TechFieldFactory(name="农业机械", slug="machinery")
    for n in range(6):
        CollaborationItemPageFactory(parent=collab["map"], slug=f"more-{n}", field=field)
    after = (count("/collaboration/points.geojson"), count("/collaboration/"))
    assert after == before
    # Even with the shared cache empty (site, menu, settings rebuilt) within the page budget.
    with django_assert_max_num_queries(15):
        client.get("/collaboration/points.geojson")


def test_geojson_cache_is_warm_but_never_stale_after_publishing(client, collab, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cold:
        first = geojson(client).json()
    with CaptureQueriesContext(connection) as warm:
        assert geojson(client).json() == first
    assert len(warm) < len(cold)

    ginger = collab["items"]["ginger"]
    ginger.title = "鲁中大姜（改名）"
    ginger.save_revision().publish()
    titles = {f["properties"]["title"] for f in geojson(client).json()["features"]}
    assert "鲁中大姜（改名）" in titles
    ginger.unpublish()
    assert ginger.pk not in geojson_ids(client)
    new = CollaborationItemPageFactory(parent=collab["map"], slug="brand-new")
    assert new.pk in geojson_ids(client)
