"""Points stored as ``SRID=4326;POINT(lng lat)`` text, GCJ-02 output and GeoJSON.

No GeoDjango: wagtailgeowidget writes this EWKT-like string into a CharField, and
everything here works on that string so SQLite and PostgreSQL behave the same.
"""

import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_POINT_RE = re.compile(rf"^SRID=(\d+);POINT\s?\(\s*({_NUMBER})\s+({_NUMBER})\s*\)$")


@dataclass(frozen=True)
class Point:
    """A WGS-84 point; longitude first, as in GeoJSON and WKT."""

    lng: float
    lat: float

    def to_ewkt(self):
        return f"SRID=4326;POINT({self.lng:.6f} {self.lat:.6f})"


def parse_point(value):
    """Parse ``SRID=4326;POINT(lng lat)``; raise ``ValueError`` (with a Chinese message) when it is not one."""
    if not isinstance(value, str):
        raise ValueError(_("位置格式应为 SRID=4326;POINT(经度 纬度)。"))
    match = _POINT_RE.match(value.strip())
    if match is None:
        raise ValueError(_("位置格式应为 SRID=4326;POINT(经度 纬度)。"))
    srid, lng, lat = int(match.group(1)), float(match.group(2)), float(match.group(3))
    if srid != 4326:
        raise ValueError(_("坐标系必须是 WGS-84（SRID=4326）。"))
    if not (math.isfinite(lng) and math.isfinite(lat)):
        raise ValueError(_("经纬度必须是有限的数字。"))
    if not -180 <= lng <= 180:
        raise ValueError(_("经度必须在 -180 到 180 之间。"))
    if not -90 <= lat <= 90:
        raise ValueError(_("纬度必须在 -90 到 90 之间（注意经度在前、纬度在后）。"))
    return Point(lng=lng, lat=lat)


def validate_point(value):
    """Model-field validator wrapping :func:`parse_point`."""
    try:
        parse_point(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_point") from error


# ---------------------------------------------------------------------------
# WGS-84 → GCJ-02 ("Mars coordinates"): the offset every map licensed in China
# (AutoNavi/高德, Tencent) applies to its tiles. The constants are the published
# Krasovsky-ellipsoid parameters of the obfuscation; outside China it is the identity.

_A = 6378245.0
_EE = 0.00669342162296594323


def out_of_china(lng, lat):
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng, lat):
    """Return ``(lng, lat)`` in GCJ-02 for a WGS-84 point (unchanged outside China)."""
    if out_of_china(lng, lat):
        return lng, lat
    d_lat = _transform_lat(lng - 105.0, lat - 35.0)
    d_lng = _transform_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lng + d_lng, lat + d_lat


# ---------------------------------------------------------------------------
# Tile layer configuration (settings.COLLABORATION_MAP_TILES).

TILE_DEFAULTS = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    "max_zoom": 19,
    "crs": "wgs84",
    "subdomains": "abc",
    "labels_url": "",
}
TILE_CRS_CHOICES = ("wgs84", "gcj02")


def tile_config():
    """The public map's tile layer, settings over defaults; ``crs`` is the datum the tiles are drawn in."""
    config = {**TILE_DEFAULTS, **getattr(settings, "COLLABORATION_MAP_TILES", {})}
    config["crs"] = str(config["crs"]).lower()
    if config["crs"] not in TILE_CRS_CHOICES:
        raise ValueError(f"COLLABORATION_MAP_TILES['crs'] must be one of {TILE_CRS_CHOICES}, not {config['crs']!r}")
    config["max_zoom"] = int(config["max_zoom"])
    return config


def display_latlng(point, crs):
    """``[lat, lng]`` where a marker must be drawn on tiles in ``crs``."""
    if crs == "gcj02":
        lng, lat = wgs84_to_gcj02(point.lng, point.lat)
    else:
        lng, lat = point.lng, point.lat
    return [round(lat, 6), round(lng, 6)]


def feature_collection(features):
    return {"type": "FeatureCollection", "features": list(features)}


def point_feature(feature_id, point, properties):
    """An RFC 7946 Feature: WGS-84, longitude first, 6 decimals (about 10 cm)."""
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [round(point.lng, 6), round(point.lat, 6)]},
        "properties": properties,
    }
