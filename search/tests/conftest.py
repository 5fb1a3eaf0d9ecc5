import json
from pathlib import Path

import pytest

from wagtail.models import Page

from cms.demo import SEED_CANDIDATES, read_seed
from home.models import StandardPage
from search import segmentation

RELEVANCE_FILE = Path(__file__).with_name("relevance.json")


def load_relevance():
    return json.loads(RELEVANCE_FILE.read_text(encoding="utf-8"))


def seed_text():
    text = read_seed()
    if text:
        # Newspaper columns wrap mid-word; the stories read as one line each.
        return text.replace("\n", "")
    # Fail, not skip: a missing seed would silently switch the relevance set off.
    pytest.fail("seed text not found: " + ", ".join(map(str, SEED_CANDIDATES)))


def story_body(spec, text):
    if "body" in spec:
        return spec["body"]
    start = text.index(spec["from"])
    end = text.index(spec["to"], start) + len(spec["to"])
    body = text[start:end]
    return f"{spec['intro']}。{body}" if spec.get("intro") else body


def build_pages(parent, specs):
    text = seed_text()
    pages = {}
    for number, spec in enumerate(specs):
        page = StandardPage(
            title=spec["title"],
            slug=f"relevance-{number}-{spec['key']}",
            body=[("paragraph", f"<p>{story_body(spec, text)}</p>")],
        )
        parent.add_child(instance=page)
        pages[spec["key"]] = page
    return pages


@pytest.fixture(scope="module")
def seed_pages(django_db_setup, django_db_blocker):
    """The relevance pages, built once per module and removed afterwards."""
    with django_db_blocker.unblock():
        segmentation.reload()
        parent = Page.get_first_root_node().get_children().first()
        pages = build_pages(parent, load_relevance()["pages"])
        yield pages
        for page in pages.values():
            page.delete()
