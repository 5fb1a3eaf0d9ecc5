"""cms.queries.public: Wagtail's public() without its extra query, for every shape of restriction."""

import pytest

from wagtail.models import Page, PageViewRestriction

from cms.queries import public
from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home_page):
    # Sibling slugs share a prefix ("a" and "ab") so a path-prefix mistake would show.
    a = StandardPageFactory(parent=home_page, title="a", slug="a")
    a_child = StandardPageFactory(parent=a, title="a-child", slug="a-child")
    a_grandchild = StandardPageFactory(parent=a_child, title="a-grandchild", slug="a-grandchild")
    b = StandardPageFactory(parent=home_page, title="b", slug="b")
    b_child = StandardPageFactory(parent=b, title="b-child", slug="b-child")
    return {"home": home_page, "a": a, "a_child": a_child, "a_grandchild": a_grandchild, "b": b, "b_child": b_child}


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_no_restrictions_keeps_every_page(tree):
    assert ids(public(Page.objects.all())) == ids(Page.objects.public())


@pytest.mark.parametrize("restricted", [["a_child"], ["b"], ["a", "b_child"], ["home"]])
def test_same_pages_as_wagtail_public(tree, restricted):
    for key in restricted:
        PageViewRestriction.objects.create(page=tree[key], restriction_type=PageViewRestriction.LOGIN)
    expected = ids(Page.objects.public())
    assert ids(public(Page.objects.all())) == expected
    # The restricted page and everything below it are gone, nothing else.
    for key in restricted:
        assert tree[key].pk not in expected
    if restricted == ["a_child"]:
        assert tree["a"].pk in expected
        assert tree["a_grandchild"].pk not in expected
        assert tree["b_child"].pk in expected


def test_one_query_where_wagtail_needs_two(tree, django_assert_num_queries):
    PageViewRestriction.objects.create(page=tree["a"], restriction_type=PageViewRestriction.LOGIN)
    list(public(Page.objects.live()))  # reads the restricted paths, once per content version
    with django_assert_num_queries(1):
        list(public(Page.objects.live()))
    with django_assert_num_queries(2):
        list(Page.objects.live().public())


def test_a_removed_or_added_restriction_counts_at_once(tree):
    restriction = PageViewRestriction.objects.create(page=tree["b"], restriction_type=PageViewRestriction.LOGIN)
    assert tree["b_child"].pk not in ids(public(Page.objects.all()))
    restriction.delete()
    assert tree["b_child"].pk in ids(public(Page.objects.all()))
    PageViewRestriction.objects.create(page=tree["a_child"], restriction_type=PageViewRestriction.PASSWORD)
    assert ids(public(Page.objects.all())) == ids(Page.objects.public())
