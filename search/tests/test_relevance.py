"""The relevance set (relevance.json) on whichever database the tests run on."""

import pytest

from wagtail.models import Page

from .conftest import load_relevance

QUERIES = load_relevance()["queries"]

pytestmark = pytest.mark.django_db


def _keys(pages, results):
    by_id = {page.id: key for key, page in pages.items()}
    return [by_id.get(page.id, f"other:{page.title}") for page in results]


@pytest.mark.parametrize("case", QUERIES, ids=[c["q"] for c in QUERIES])
def test_relevance(seed_pages, case):
    ids = [page.id for page in seed_pages.values()]
    results = list(Page.objects.live().filter(id__in=ids).search(case["q"])[:5])
    keys = _keys(seed_pages, results)
    if case.get("none"):
        assert keys == [], f"{case['q']!r} must find nothing, found {keys}"
    else:
        missing = [key for key in case["top5"] if key not in keys]
        assert not missing, f"{case['q']!r}: {missing} not in top 5 {keys}"


def test_relevance_set_size():
    assert len(QUERIES) >= 30
    assert any(c.get("none") for c in QUERIES)
