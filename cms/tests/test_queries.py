"""cms.queries.public: Wagtail's public() without its extra query, for every shape of restriction."""

import pytest

from django.db import connection

from wagtail.models import Page, PageViewRestriction

from cms.queries import public, unrestricted_sql
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


def unrestricted_sql_ids():
    conditions, params = unrestricted_sql('"wagtailcore_page"."path"')
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "id" FROM "wagtailcore_page" {where} ORDER BY "id"', params)  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("restricted", [[], ["a_child"], ["b"], ["a", "b_child"], ["home"]])
def test_unrestricted_sql_keeps_the_pages_wagtails_public_keeps(tree, restricted):
    for key in restricted:
        PageViewRestriction.objects.create(page=tree[key], restriction_type=PageViewRestriction.LOGIN)
    assert unrestricted_sql_ids() == ids(Page.objects.public())


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


def restriction_ids(page):
    return sorted(page.get_view_restrictions().values_list("pk", flat=True))


def wagtails_restriction_ids(page):
    return sorted(Page.get_view_restrictions(page).values_list("pk", flat=True))


@pytest.mark.parametrize("restricted", [[], ["a_child"], ["b"], ["a", "b_child"], ["home"]])
def test_view_restrictions_same_as_wagtails(tree, restricted):
    for key in restricted:
        PageViewRestriction.objects.create(page=tree[key], restriction_type=PageViewRestriction.LOGIN)
    for key, page in tree.items():
        page = page.specific
        assert restriction_ids(page) == wagtails_restriction_ids(page), key
    if restricted == ["a_child"]:
        assert restriction_ids(tree["a_grandchild"].specific) == wagtails_restriction_ids(tree["a_grandchild"]) != []


def test_an_alias_outside_the_restricted_branch_keeps_its_sources_restrictions(tree):
    # The restriction comes after the alias: Wagtail copies restrictions only when it makes one.
    alias = tree["a_child"].specific.create_alias(parent=tree["b"], update_slug="a-child-alias")
    restriction = PageViewRestriction.objects.create(page=tree["a_child"], restriction_type=PageViewRestriction.LOGIN)
    assert not alias.path.startswith(tree["a_child"].path)
    assert wagtails_restriction_ids(alias) == [restriction.pk]
    assert restriction_ids(alias) == [restriction.pk]
    below_alias = StandardPageFactory(parent=alias, slug="below-alias")
    # ...and so does a page below the alias, through its aliased ancestor.
    assert wagtails_restriction_ids(below_alias) == [restriction.pk]
    assert restriction_ids(below_alias.specific) == [restriction.pk]
    elsewhere = StandardPageFactory(parent=tree["b_child"], slug="elsewhere")
    assert restriction_ids(elsewhere.specific) == []


def test_no_query_for_a_page_nothing_can_restrict(tree, django_assert_num_queries):
    PageViewRestriction.objects.create(page=tree["a"], restriction_type=PageViewRestriction.LOGIN)
    page = tree["b_child"].specific
    restriction_ids(page)  # reads the restricted and alias paths, once per content version
    with django_assert_num_queries(0):
        assert list(page.get_view_restrictions()) == []
    with django_assert_num_queries(2):
        list(Page.get_view_restrictions(page))


def test_few_pages_in_tree_order_from_their_own_table(tree):
    from django.db import connection

    from cms.queries import children, descendants, in_tree_order
    from cms.tests.plans import sqlite_plans
    from home.models import StandardPage

    below_home = in_tree_order(descendants(StandardPage.objects.live(), tree["home"]))
    assert below_home == list(StandardPage.objects.live().descendant_of(tree["home"]).order_by("path"))
    assert [p.slug for p in below_home] == ["a", "a-child", "a-grandchild", "b", "b-child"]
    assert in_tree_order(children(StandardPage.objects.all(), tree["a"])) == [tree["a_child"].specific]
    if connection.vendor == "sqlite":
        plans = sqlite_plans(
            lambda: in_tree_order(descendants(StandardPage.objects.live(), tree["home"])), "home_standardpage"
        )
        assert plans and all("SCAN wagtailcore_page" not in plan for plan in plans), plans


def test_a_page_not_yet_in_the_tree_is_left_to_wagtail(tree):
    from cms.queries import may_be_restricted
    from home.models import StandardPage

    unsaved = StandardPage(title="预览中的新页面")
    assert may_be_restricted(unsaved) is False  # no restriction anywhere
    PageViewRestriction.objects.create(page=tree["a"], restriction_type=PageViewRestriction.LOGIN)
    assert may_be_restricted(unsaved) is True
    assert may_be_restricted(tree["b"]) is False
    assert may_be_restricted(tree["a_grandchild"]) is True


def test_a_page_nothing_can_restrict_shares_one_empty_queryset(tree):
    """What the views iterate is evaluated once; what admin code does with it still works."""
    first, second = tree["b_child"].specific, tree["a"].specific
    restrictions = first.get_view_restrictions()
    assert restrictions is second.get_view_restrictions()
    assert restrictions._result_cache == [] and not restrictions
    assert list(restrictions.order_by("-page__depth")) == [] and not restrictions.exists()
    PageViewRestriction.objects.create(page=tree["a"], restriction_type=PageViewRestriction.LOGIN)
    assert [r.page_id for r in second.get_view_restrictions()] == [tree["a"].pk]
    assert list(restrictions) == []  # the shared one is still empty


def test_in_ids_keeps_what_pk_in_keeps_with_one_parameter(tree):
    """``InIds``: the rows ``pk__in`` keeps, negated and inside a subquery too, while the
    ids take one parameter however many there are."""
    from cms.queries import InIds

    wanted = [tree["a"].pk, tree["b_child"].pk, 2_000_000_000]  # one id that no page has
    pages = Page.objects.all()
    assert ids(pages.filter(InIds("pk", wanted))) == ids(pages.filter(pk__in=wanted))
    assert ids(pages.exclude(InIds("pk", wanted))) == ids(pages.exclude(pk__in=wanted))
    inner = pages.filter(InIds("id", wanted)).values("pk")
    assert ids(pages.filter(pk__in=inner)) == sorted([tree["a"].pk, tree["b_child"].pk])

    def params(queryset):
        return queryset.query.sql_with_params()[1]

    many = [*wanted, *range(10**6, 10**6 + 5_000)]
    assert len(params(pages.filter(InIds("pk", many)))) == len(params(pages.filter(InIds("pk", wanted))))
    assert ids(pages.filter(InIds("pk", many))) == ids(pages.filter(pk__in=wanted))
    # More ids than SQLite takes parameters in one statement (250,000 in this build).
    assert pages.filter(InIds("pk", [*wanted, *range(10**6, 10**6 + 300_000)])).count() == 2


def test_in_ids_of_nothing_matches_nothing_without_a_query(tree, django_assert_num_queries):
    from cms.queries import InIds

    with django_assert_num_queries(0):
        assert list(Page.objects.filter(InIds("pk", []))) == []
    assert ids(Page.objects.exclude(InIds("pk", []))) == ids(Page.objects.all())
