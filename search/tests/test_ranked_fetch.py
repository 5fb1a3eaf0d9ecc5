"""The fast relevance path returns exactly what an exhaustive ranking returns.

The backend ranks, counts and facets without joining every match to the caller's
queryset (see ``search.backends.sqlite.RankedFetchMixin`` and the PostgreSQL
counterpart). Here its first pages are compared with an exhaustive ranking of the same
query computed the slow, obvious way, on a set with many matches, ties, excluded pages
and several page types.
"""

import pytest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

from cms.cache import request_scope
from home.models import StandardPage
from search.tests.conftest import build_pages, load_relevance

pytestmark = pytest.mark.django_db

QUERIES = ["重庆", "小巨人", "视频", "专精特新 小巨人", "企业 服务", "马振轩", "不存在的词语"]


@pytest.fixture
def corpus(home_page):
    """The relevance pages plus 40 sample pages that repeat seed words in titles and bodies."""
    build_pages(home_page, load_relevance()["pages"])
    words = ["重庆", "小巨人", "视频", "企业", "服务", "专精特新"]
    for number in range(40):
        title_words = "".join(words[(number + k) % len(words)] for k in range(number % 3))
        body = "。".join(words[(number * 7 + k) % len(words)] * (1 + k % 3) for k in range(number % 5 + 1))
        home_page.add_child(
            instance=StandardPage(
                title=f"示例{title_words}页面{number}",
                body=[("paragraph", f"<p>{body}，其他内容{number}。</p>")],
            )
        )
    return home_page


def exhaustive(queryset, query):
    """Every match, ranked the obvious way: each match joined to its index entry and to
    the queryset, scored and sorted in SQL (score, then newest index entry)."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from modelsearch.utils import get_descendants_content_types_pks

    results = queryset.search(query)
    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    allowed = queryset.annotate(_object_id=Cast("pk", TextField())).values("_object_id")
    if connection.vendor == "postgresql":
        return exhaustive_postgres(compiler, config, queryset, allowed)
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

    rows = (
        SQLiteFTSIndexEntry.objects.filter(compiler._match_queryset(config).query.where)
        .filter(
            index_entry__content_type__in=get_descendants_content_types_pks(queryset.model),
            index_entry__object_id__in=allowed,
        )
        .annotate(score=compiler.build_tsrank(None, compiler.query, config=config))
        .order_by("score", "-index_entry_id")
        .values_list("index_entry__object_id", flat=True)
    )
    return [int(object_id) for object_id in rows]


def exhaustive_postgres(compiler, config, queryset, allowed):
    """The RUM distance computed row by row (``rum_ts_distance``, no index order)."""
    from modelsearch.utils import get_descendants_content_types_pks

    from search.backends.postgres import rum_index_ready

    assert rum_index_ready("default"), "CI installs the RUM extension (.ci/run)"
    tsquery, tsquery_params = compiler._tsquery_sql(config)
    allowed_sql, allowed_params = allowed.query.sql_with_params()
    sql = (
        "SELECT ie.object_id FROM wagtailsearch_indexentry ie "  # noqa: S608 (SQL from Django's compiler)
        f"WHERE (ie.title || ie.body) @@ {tsquery} AND ie.content_type_id = ANY(%s) "
        f"AND ie.object_id IN ({allowed_sql}) "
        f"ORDER BY rum_ts_distance(ie.title || ie.body, {tsquery}), ie.id DESC"
    )
    params = [
        *tsquery_params,
        list(get_descendants_content_types_pks(queryset.model)),
        *allowed_params,
        *tsquery_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(sql, params)
        return [int(object_id) for (object_id,) in cursor.fetchall()]


def fast(queryset, query, start, stop):
    return [page.pk for page in queryset.search(query)[start:stop]]


@pytest.mark.parametrize("query", QUERIES)
def test_first_pages_equal_the_exhaustive_ranking(corpus, query):
    pages = Page.objects.live().filter(depth__gt=1)
    expected = exhaustive(pages, query)
    assert fast(pages, query, 0, 20) == expected[:20]
    assert fast(pages, query, 10, 20) == expected[10:20]
    assert pages.search(query).count() == len(expected)
    if query in ("重庆", "小巨人", "视频"):
        assert len(expected) > 20  # the second page is a real one
    elif query != "不存在的词语":
        assert expected


@pytest.mark.parametrize("query", ["重庆", "专精特新 小巨人", "不存在的词语"])
def test_ranked_pks_are_the_exhaustive_ranking_without_loading_a_page(corpus, query):
    """``allowed.ranked_pks``: every match's key, best first, and no query reads a page row."""
    from search.backends.allowed import ranked_pks

    everything = Page.objects.live().filter(depth__gt=1)
    pages = everything.exclude(pk__in=exhaustive(everything, "重庆")[:3])  # the best ones filtered out
    expected = exhaustive(pages, query)
    pages.search(query).count()  # the queryset's map, built once per content version
    with CaptureQueriesContext(connection) as captured:
        keys = ranked_pks(pages.search(query))
    assert keys == expected
    assert ranked_pks(pages.search(query)[5:12]) == expected[5:12]
    page_table = Page._meta.db_table
    assert not [q["sql"] for q in captured if f'FROM "{page_table}"' in q["sql"]]
    # Unranked, the keys are the objects' own, in the order the search gives them.
    unranked = pages.search(query, order_by_relevance=False)
    assert ranked_pks(unranked) == [page.pk for page in pages.search(query, order_by_relevance=False)]


def test_filtered_queryset_ranks_only_its_pages(corpus):
    excluded = list(StandardPage.objects.filter(title__startswith="示例").order_by("pk")[::3])
    for page in excluded:
        page.unpublish()
    pages = Page.objects.live().filter(depth__gt=1)
    expected = exhaustive(pages, "重庆")
    assert not {page.pk for page in excluded} & set(expected)
    assert fast(pages, "重庆", 0, 20) == expected[:20]
    assert pages.search("重庆").count() == len(expected)


def test_a_newly_published_page_is_found_at_once(corpus):
    pages = Page.objects.live().filter(depth__gt=1)
    before = pages.search("鲁渝科技").count()
    corpus.add_child(instance=StandardPage(title="鲁渝科技协作新页面", body=[("paragraph", "<p>鲁渝科技</p>")]))
    assert pages.search("鲁渝科技").count() == before + 1
    assert fast(pages, "鲁渝科技协作新页面", 0, 1)


def test_facets_count_each_type(corpus):
    corpus.add_child(instance=Page(title="小巨人企业名录", slug="giants-list"))  # a second page type
    pages = Page.objects.live().filter(depth__gt=1)
    types = dict(pages.values_list("pk", "content_type_id"))
    expected = {}
    for pk in exhaustive(pages, "小巨人"):
        expected[types[pk]] = expected.get(types[pk], 0) + 1
    facets = pages.search("小巨人").facet("content_type_id")
    assert dict(facets) == expected
    assert len(expected) == 2
    assert list(facets.values()) == sorted(facets.values(), reverse=True)


def test_facets_count_an_empty_value_too(corpus):
    """A facet field that is empty (no owner) is a value of its own, counted like any other."""
    pages = Page.objects.live().filter(depth__gt=1)
    owned = list(StandardPage.objects.filter(title__startswith="示例").order_by("pk")[::2])
    user = get_user_model().objects.create(username="editor")
    Page.objects.filter(pk__in=[page.pk for page in owned]).update(owner=user)
    owners = dict(pages.values_list("pk", "owner_id"))
    expected = {}
    for pk in exhaustive(pages, "重庆"):
        expected[owners[pk]] = expected.get(owners[pk], 0) + 1
    assert set(expected) == {None, user.pk}
    assert dict(pages.search("重庆").facet("owner_id")) == expected


def _match_lookups(queries):
    """How many of ``queries`` looked up every match of a search (no ranking)."""
    if connection.vendor == "postgresql":
        return sum(1 for query in queries if query["sql"].count("SELECT id FROM") and "<=>" not in query["sql"])
    return sum(1 for query in queries if "json_group_array" in query["sql"])


def test_a_request_looks_up_a_querys_matches_once(corpus):
    """The count and the facets of one query, asked through two compilers, share the
    matches inside a request; a content change inside it forgets them."""
    pages = Page.objects.live().filter(depth__gt=1)

    def count_and_facet():
        with CaptureQueriesContext(connection) as queries:
            total = pages.search("重庆").count()
            facets = pages.search("重庆").facet("content_type_id")
        assert sum(facets.values()) == total
        return total, _match_lookups(queries)

    total, lookups = count_and_facet()
    assert lookups == 2  # outside a request each compiler looks them up
    with request_scope():
        assert count_and_facet() == (total, 1)
        corpus.add_child(instance=StandardPage(title="重庆新页面", body=[("paragraph", "<p>重庆</p>")]))
        assert count_and_facet() == (total + 1, 1)
        assert count_and_facet() == (total + 1, 0)


def test_fetch_ids_returns_the_column_in_order_as_plain_ints(corpus):
    """``fetch_ids_sql`` (one JSON array on SQLite, rows elsewhere) gives what the ORM gives."""
    from wagtail.search.models import IndexEntry

    from search.backends.allowed import compiled_sql, fetch_ids_sql

    def fetch_ids(queryset):
        return fetch_ids_sql(queryset.db, queryset.query.values_select[0], *compiled_sql(queryset))

    entries = IndexEntry.objects.order_by("-pk").values_list("pk")
    assert len(entries) > 40
    assert fetch_ids(entries) == [pk for (pk,) in entries]
    assert all(type(pk) is int for pk in fetch_ids(entries))
    assert fetch_ids(entries.filter(pk__lt=0)) == []  # no rows
    assert fetch_ids(entries.filter(pk__in=[])) == []  # no SQL at all (EmptyResultSet)


def test_when_the_best_matches_are_filtered_out_the_search_goes_deeper(corpus):
    """The first FTS rows fetched (2 × stop + 20) are all outside the queryset."""
    everything = Page.objects.live().filter(depth__gt=1)
    best = exhaustive(everything, "重庆")[:25]
    pages = everything.exclude(pk__in=best)
    expected = exhaustive(pages, "重庆")
    assert expected
    assert fast(pages, "重庆", 0, 1) == expected[:1]
    assert fast(pages, "重庆", 0, 2) == expected[:2]


def test_a_tie_group_longer_than_the_rows_fetched(corpus):
    """70 pages at exactly the same distance: more than the first rows fetched for page 1
    and 2 (2 × stop + 20, then 8 × stop + 80); within the group the newest entry wins."""
    for number in range(70):
        corpus.add_child(instance=StandardPage(title=f"示例栏目{number}", body=[("paragraph", "<p>协作平台</p>")]))
    pages = Page.objects.live().filter(depth__gt=1)
    expected = exhaustive(pages, "协作平台")
    assert len(expected) >= 70
    assert fast(pages, "协作平台", 0, 10) == expected[:10]
    assert fast(pages, "协作平台", 30, 40) == expected[30:40]
    assert pages.search("协作平台").count() == len(expected)


def test_the_queryset_map_is_kept_until_content_changes(corpus, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from search.backends import allowed

    def joins(queryset):
        with CaptureQueriesContext(connection) as ctx:
            queryset.search("重庆").count()
        return sum(1 for q in ctx.captured_queries if '"object_id" IN (SELECT' in q["sql"])

    pages = Page.objects.live().filter(depth__gt=1)
    assert joins(pages) == 1  # built
    assert joins(pages) == 0  # kept
    corpus.add_child(instance=StandardPage(title="重庆新页面", body=[("paragraph", "<p>正文</p>")]))
    assert joins(pages) == 1  # content changed: built again

    # Bounded by rows: a second map pushes the older one out.
    monkeypatch.setattr(allowed, "ALLOWED_MEMO_ROWS", len(allowed.allowed_entries(pages)))
    joins(pages.filter(title__startswith="示例"))
    assert joins(pages) == 1


def test_without_a_cache_the_queryset_map_is_built_every_time(corpus, settings):
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    pages = Page.objects.live().filter(depth__gt=1)
    builds = 0
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            pages.search("重庆").count()
        builds += sum(1 for q in ctx.captured_queries if '"object_id" IN (SELECT' in q["sql"])
    # No content version to trust: a map kept now could outlive an unseen change.
    assert builds == 2


def test_a_querysets_sql_is_compiled_once_and_never_lent_to_a_filtered_copy(corpus):
    from search.backends.allowed import _unordered_sql

    pages = Page.objects.live().filter(depth__gt=1).order_by("title")
    sql = _unordered_sql(pages)
    assert sql == pages.order_by().query.sql_with_params()
    assert _unordered_sql(pages) is sql  # kept on the queryset object
    narrower = pages.filter(title__startswith="示例")
    assert _unordered_sql(narrower) == narrower.order_by().query.sql_with_params() != sql
    # Results and counts of one search of a narrower queryset agree with an exhaustive ranking.
    expected = exhaustive(narrower, "重庆")
    assert fast(narrower, "重庆", 0, 20) == expected[:20]
    assert narrower.search("重庆").count() == len(expected)


def test_querysets_marked_alike_share_one_compiled_sql(corpus):
    from search.backends.allowed import _unordered_sql, same_sql_as

    first = same_sql_as(Page.objects.live().filter(depth__gt=1), ("test-shared", ()))
    second = same_sql_as(Page.objects.live().filter(depth__gt=1), ("test-shared", ()))
    assert _unordered_sql(second) is _unordered_sql(first)
    assert _unordered_sql(second) == Page.objects.live().filter(depth__gt=1).order_by().query.sql_with_params()
    other = same_sql_as(Page.objects.live().filter(depth__gt=2), ("test-shared", ("0001",)))
    assert _unordered_sql(other) == Page.objects.live().filter(depth__gt=2).order_by().query.sql_with_params()
    # A filtered copy compiles its own.
    narrower = second.filter(title__startswith="示例")
    assert _unordered_sql(narrower) == narrower.order_by().query.sql_with_params()


def test_a_page_of_results_is_loaded_with_sql_compiled_once(corpus):
    """objects_by_pk gives what the ORM gives, for any number of ids, repeats and ids
    outside the queryset."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.backends.allowed import objects_by_pk, same_sql_as

    def marked():
        return same_sql_as(Page.objects.live().filter(depth__gt=1), ("test-fetch", ()))

    live = list(Page.objects.live().filter(depth__gt=1).order_by("pk").values_list("pk", flat=True))
    hidden = Page.objects.live().filter(depth__gt=1).order_by("pk").last()
    hidden.unpublish()
    outside = [Page.objects.get(depth=1).pk, hidden.pk, 10_000_000]
    for ids in (live[:1], live[:9], live[:10], live[:11], live[:3] * 3, live[:5] + outside, live[:100], live):
        expected = {page.pk: page for page in Page.objects.live().filter(depth__gt=1, pk__in=ids)}
        with CaptureQueriesContext(connection) as queries:
            found = objects_by_pk(marked(), ids)
        assert found == expected
        assert all(type(page) is Page and page.title == expected[pk].title for pk, page in found.items())
        assert len(queries) == 1
    assert objects_by_pk(marked(), []) == {}
    # An unmarked queryset takes the ORM's way.
    assert objects_by_pk(Page.objects.filter(pk__in=live[:2]), live[:3]) == {
        p.pk: p for p in Page.objects.filter(pk__in=live[:2])
    }


@pytest.fixture
def compiles(monkeypatch):
    """How many full-text statements the SQLite backend compiled (it keeps them per shape)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backend's kept full-text statements")
    from search.backends import sqlite
    from search.backends.allowed import compiled_sql

    monkeypatch.setattr(sqlite, "_FTS_STATEMENTS", {})
    calls = []

    def counted(queryset):
        calls.append(queryset)
        return compiled_sql(queryset)

    monkeypatch.setattr(sqlite, "compiled_sql", counted)
    return calls


def test_full_text_statements_are_compiled_once_per_shape(corpus, compiles):
    """Queries of one shape share the compiled statements and bind their own MATCH text;
    a rank of another shape (synonyms: an OR with its own constants) gets its own."""
    pages = Page.objects.live().filter(depth__gt=1)

    def check(query):
        expected = exhaustive(pages, query)
        assert fast(pages, query, 0, 20) == expected[:20]
        assert pages.search(query).count() == len(expected)
        return expected

    assert check("重庆")
    first = len(compiles)
    assert first == 2  # the ranked page and the matches
    assert check("视频") and check("小巨人") and not check("不存在的词语")
    assert len(compiles) == first

    assert check("成渝")  # 成渝 OR 川渝
    assert check("中小企业")  # three alternatives: another divisor in the rank
    with_synonyms = len(compiles)
    assert with_synonyms == first + 2
    assert check("成渝") and check("重庆") and check("中小企业")
    assert len(compiles) == with_synonyms


def test_autocomplete_keeps_statements_of_its_own(corpus, compiles):
    """Autocomplete ranks by other column weights: it never runs the search's statement."""
    pages = Page.objects.live().filter(depth__gt=1)

    def titles():
        return [page.pk for page in pages.autocomplete("小巨")[:10]]

    alone = titles()
    assert alone
    from search.backends import sqlite

    sqlite._FTS_STATEMENTS.clear()
    fast(pages, "小巨", 0, 10)
    assert titles() == alone
    with CaptureQueriesContext(connection) as queries:
        titles()
    assert any("bm25" in query["sql"] and "1.0, 0.0, 0.0" in query["sql"] for query in queries)


def test_a_statement_with_the_match_text_elsewhere_is_compiled_every_time(corpus, compiles):
    """The MATCH text is bound by its position in the parameters: a statement that holds
    the same text twice cannot say which one to replace, so it is not kept."""
    from search.backends import sqlite

    results = Page.objects.live().filter(depth__gt=1).search("重庆")
    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    match = compiler._match_param(config)

    def build():
        return compiler._match_queryset(config).filter(body=match).values_list("index_entry_id")

    for _ in range(2):
        _sql, params = compiler._fts_statement(config, ("test-twice",), build)
        assert list(params).count(match) == 2
    assert len(compiles) == 2
    assert not any(key[1] == ("test-twice",) for key in sqlite._FTS_STATEMENTS)
