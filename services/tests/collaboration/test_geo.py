import math

import pytest

from django.core.exceptions import ValidationError

from services.collaboration.geo import (
    Point,
    display_latlng,
    out_of_china,
    parse_point,
    tile_config,
    validate_point,
    wgs84_to_gcj02,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SRID=4326;POINT(106.55 29.56)", Point(106.55, 29.56)),
        ("SRID=4326;POINT (106.55 29.56)", Point(106.55, 29.56)),
        ("  SRID=4326;POINT(-0.5 51.5)  ", Point(-0.5, 51.5)),
        ("SRID=4326;POINT(180 -90)", Point(180, -90)),
        ("SRID=4326;POINT(1.2e2 3e1)", Point(120, 30)),
    ],
)
def test_parse_point_accepts_what_the_widget_writes(value, expected):
    assert parse_point(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "106.55,29.56",
        "POINT(106.55 29.56)",
        "SRID=3857;POINT(106.55 29.56)",
        "SRID=4326;POINT(29.56)",
        "SRID=4326;POINT(106.55 29.56 10)",
        "SRID=4326;POINT(abc def)",
        "SRID=4326;POINT(nan 29)",
        "SRID=4326;POINT(inf 29)",
        "SRID=4326;POINT(181 29)",
        "SRID=4326;POINT(29.56 106.55)",  # latitude first: 106.55 is not a latitude
        "SRID=4326;POINT(106.55 29.56);DROP",
        "SRID=4326;POINT(1e999 29)",
        None,
        12,
    ],
)
def test_parse_point_rejects_bad_values(value):
    with pytest.raises(ValueError):
        parse_point(value)
    if isinstance(value, str):
        with pytest.raises(ValidationError):
            validate_point(value)


def test_point_round_trips_through_ewkt():
    assert parse_point(Point(106.551234, 29.561234).to_ewkt()) == Point(106.551234, 29.561234)


# Reference values from the eviltransform test suite (wgsLat, wgsLng, gcjLat, gcjLng).
KNOWN = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), KNOWN)
def test_wgs84_to_gcj02_known_points(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    lng, lat = wgs84_to_gcj02(wgs_lng, wgs_lat)
    assert math.isclose(lng, gcj_lng, abs_tol=1e-9)
    assert math.isclose(lat, gcj_lat, abs_tol=1e-9)


def test_gcj02_offset_in_chongqing_is_a_few_hundred_metres():
    lng, lat = wgs84_to_gcj02(106.55, 29.56)
    # Known size of the offset in Chongqing: roughly +0.0036° longitude, -0.0025° latitude.
    assert 0.002 < lng - 106.55 < 0.006
    assert -0.004 < lat - 29.56 < -0.001


def test_gcj02_is_identity_outside_china():
    assert out_of_china(18.0686, 59.3293)
    assert wgs84_to_gcj02(18.0686, 59.3293) == (18.0686, 59.3293)


def test_display_latlng_is_lat_first_and_converted_only_for_gcj02():
    point = Point(106.55, 29.56)
    assert display_latlng(point, "wgs84") == [29.56, 106.55]
    lat, lng = display_latlng(point, "gcj02")
    assert (lng, lat) != (106.55, 29.56)
    assert [round(v, 6) for v in reversed(wgs84_to_gcj02(106.55, 29.56))] == [lat, lng]


def test_tile_config_defaults_work_for_development(settings):
    del settings.COLLABORATION_MAP_TILES
    config = tile_config()
    assert config["url"].startswith("https://") and "{z}" in config["url"]
    assert config["crs"] == "wgs84" and config["max_zoom"] == 19 and config["attribution"]


def test_tile_config_rejects_unknown_coordinate_system(settings):
    settings.COLLABORATION_MAP_TILES = {"crs": "bd09"}
    with pytest.raises(ValueError, match="crs"):
        tile_config()


def test_tile_hosts_are_allowed_by_the_csp():
    from cms.settings.base import _tile_origins

    assert _tile_origins(
        {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "labels_url": "", "subdomains": "abc"}
    ) == ["https://tile.openstreetmap.org"]
    tianditu = "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY"
    origins = _tile_origins({"url": tianditu, "labels_url": tianditu.replace("vec_w", "cva_w"), "subdomains": "01"})
    assert origins == ["https://t0.tianditu.gov.cn", "https://t1.tianditu.gov.cn"] * 2
    assert _tile_origins({"url": "", "labels_url": "", "subdomains": "abc"}) == []
