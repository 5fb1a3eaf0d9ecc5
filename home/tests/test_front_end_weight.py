"""Front-end weight of the home page with the demo content, and the trimmed Bootstrap.

The transfer is counted as bench/weight.py counts it against the production server: the
HTML, every stylesheet and script the page links, the image candidate a 1280 px wide
browser picks from each srcset, and what the stylesheets load. Static files are counted
gzip-compressed, as whitenoise serves them (its Brotli files are smaller still).
"""

import gzip
import re
from io import StringIO
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from bench.weight import Resources, css_references

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 300 * 1024
VIEWPORT = 1280
BOOTSTRAP = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap"


@pytest.fixture
def home_html():
    call_command("load_demo", "--skip-index", stdout=StringIO())
    client = Client()
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    return client, response.content.decode()


def transfer_size(client, url):
    if url.startswith(settings.STATIC_URL):
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"static file missing: {url}"
        return len(gzip.compress(Path(path).read_bytes(), compresslevel=9)), Path(path).read_text(errors="ignore")
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(body), ""


def test_home_page_transfer_is_under_300_kb(home_html):
    client, html = home_html
    parser = Resources(VIEWPORT)
    parser.feed(html)
    assert parser.found, "the home page links no resources at all?"
    # No third-party request can block rendering or leak visitors: every resource is ours.
    assert all(url.startswith("/") and not url.startswith("//") for _kind, url in parser.found), parser.found
    total = len(html.encode())
    queue, seen = list(parser.found), set()
    while queue:
        kind, url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        size, text = transfer_size(client, url)
        total += size
        if kind == "css":
            queue.extend((ref_kind, ref) for ref_kind, ref in css_references(text) if ref.startswith("/"))
    assert {kind for kind, _url in parser.found} >= {"css", "js", "image"}
    assert total < BUDGET_BYTES, f"home page transfer {total / 1024:.1f} KB"


def test_lead_image_is_a_modern_format_picture_fetched_first(home_html):
    _client, html = home_html
    lead = re.search(r'<article class="home-lead.*?</article>', html, re.S).group(0)
    source = re.search(r"<picture><source [^>]+>", lead).group(0)
    assert 'type="image/avif"' in source and re.search(r'srcset="[^"]+\.avif 400w, [^"]+\.avif 800w"', source)
    img = re.search(r"<img [^>]+>", lead).group(0)
    assert 'fetchpriority="high"' in img and 'decoding="async"' in img and 'loading="lazy"' not in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)


def test_article_card_images_are_lazy(client, home_html):
    client, _html = home_html
    html = client.get("/news/", HTTP_HOST="localhost").content.decode()
    cards = re.findall(r'<img [^>]*alt=""[^>]*>', html)
    assert cards
    assert all('loading="lazy"' in img and 'decoding="async"' in img for img in cards)


def _classes(css):
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))


def test_trimmed_bootstrap_keeps_every_bootstrap_class_the_templates_use():
    """Run scripts/trim_bootstrap.sh after using a Bootstrap class that was not used before."""
    full = _classes((BOOTSTRAP / "bootstrap.min.css").read_text())
    trimmed = _classes((BOOTSTRAP / "bootstrap.trimmed.min.css").read_text())
    used = set()
    templates = Path(settings.BASE_DIR) / "templates"
    for template in templates.rglob("*.html"):
        for attribute in re.findall(r'class="([^"]*)"', template.read_text()):
            # Template syntax inside an attribute: keep the literal words around it.
            words = re.sub(r"\{[{%].*?[%}]\}", " ", attribute).split()
            used.update(word for word in words if re.fullmatch(r"[\w-]+", word))
    missing = sorted((used & full) - trimmed)
    assert not missing, f"Bootstrap classes used but trimmed away: {missing}"
    assert len(trimmed) < len(full) / 2  # the point of trimming
    assert (BOOTSTRAP / "bootstrap.trimmed.min.css").stat().st_size < 100_000
