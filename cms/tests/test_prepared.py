"""Querysets compiled once (cms.prepared): the same instances as the ORM, for any values."""

import threading

import pytest

from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

from cms.factories import OrganisationFactory
from cms.models import routing_query
from cms.prepared import Prepared
from news.factories import ArticleBylineFactory, ArticlePageFactory
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def as_dict(page):
    return {k: v for k, v in page.__dict__.items() if not k.startswith("_")}


def test_routing_query_gives_what_the_orm_gives(site_tree):
    news = site_tree["news"]
    source = OrganisationFactory(name="重庆日报", slug="chongqing-daily", kind="media")
    articles = [
        ArticlePageFactory(parent=news, title="成渝超高清视频产业协议", slug="uhd", source=source),
        ArticlePageFactory(parent=news, title="示例文章", slug="sample"),
    ]
    ArticlePageFactory(parent=articles[0], title="示例下级", slug="uhd-child")  # deeper: not a child of news
    query = routing_query(ArticlePage)
    for article in articles:
        orm = ArticlePage.routing_queryset().child_of(news).get(slug=article.slug)
        with CaptureQueriesContext(connection) as queries:
            (found,) = query.run(path=news.path, depth=news.depth + 1, slug=article.slug)
            source_name = found.source.name if found.source_id else None  # loaded with the page
        assert len(queries) == 1
        # SQLite prepares a statement again whenever a value is bound to the right of LIKE.
        assert " LIKE " not in queries[0]["sql"].upper()
        assert type(found) is ArticlePage
        assert as_dict(found) == as_dict(orm)
        assert source_name == (orm.source.name if orm.source_id else None)
        assert found._state.db == orm._state.db and not found._state.adding
    assert query.run(path=news.path, depth=news.depth + 1, slug="uhd-child") == []
    assert query.run(path=news.path, depth=news.depth + 1, slug="no-such-page") == []
    # Another parent's path finds nothing under it.
    assert query.run(path=site_tree["policies"].path, depth=news.depth + 1, slug="uhd") == []


def test_values_are_bound_as_values_not_sql(site_tree):
    """LIKE's wildcards and quotes in a value match themselves only."""
    news = site_tree["news"]
    for title in ("100%达标", "a_b", "它's", "普通标题", "100 达标", "axb"):
        ArticlePageFactory(parent=news, title=title)
    containing = Prepared(lambda text: Page.objects.filter(title__contains=text).order_by("pk"), text=str)
    exact = Prepared(lambda text: Page.objects.filter(title=text), text=str)
    for text in ("%", "_", "'", "100%", "a_b", "达标", "' OR 1=1 --"):
        expected = list(Page.objects.filter(title__contains=text).order_by("pk"))
        assert containing.run(text=text) == expected, text
        assert exact.run(text=text) == list(Page.objects.filter(title=text))


def test_prefetch_lookups_run_on_the_instances(site_tree):
    article = ArticlePageFactory(parent=site_tree["news"], title="示例文章")
    ArticleBylineFactory(article=article, name="记者甲")
    query = Prepared(lambda pk: ArticlePage.objects.filter(pk=pk).prefetch_related("bylines"), pk=int)
    with CaptureQueriesContext(connection) as queries:
        (found,) = query.run(pk=article.pk)
        names = [b.name for b in found.bylines.all()]
    assert names == ["记者甲"]
    assert len(queries) == 2


def test_markers_django_does_not_pass_through_are_refused(site_tree):
    unused = Prepared(lambda slug, depth: Page.objects.filter(slug=slug), slug=str, depth=int)
    with pytest.raises(ValueError, match="depth"):
        unused.run(slug="news", depth=3)
    twice = Prepared(lambda slug: Page.objects.filter(slug=slug) | Page.objects.filter(title=slug), slug=str)
    with pytest.raises(ValueError, match="exactly one"):
        twice.run(slug="news")
    query = Prepared(lambda slug: Page.objects.filter(slug=slug), slug=str)
    with pytest.raises(TypeError):
        query.run(slug=3)
    with pytest.raises(TypeError):
        query.run(slug="news", depth=2)
    with pytest.raises(ValueError):
        Prepared(lambda slug: Page.objects.filter(slug=slug), slug=float)


def test_each_thread_runs_on_its_own_connection(db):
    """Compiled in one thread, run in another: on that thread's connection (Django refuses
    to share one across threads). A table this test's transaction has not written to, so
    SQLite's shared in-memory test database has nothing locked."""
    from cms.models import Organisation

    query = Prepared(lambda pk: Organisation.objects.filter(pk=pk), pk=int)
    assert query.run(pk=1) == []
    seen = {}

    def other_thread():
        try:
            seen["found"] = query.run(pk=1)
            seen["connection"] = connections["default"].connection
        except Exception as exc:  # the assertion below reports it
            seen["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert "error" not in seen, seen.get("error")
    assert seen["found"] == []
    assert seen["connection"] is not connections["default"].connection


def test_chooser_blocks_read_what_wagtail_reads(site_tree):
    """A stream's chosen regions and pages: Wagtail's answer (order, None for a missing or
    unset id, a copy for an id chosen twice) in at most one query, none when nothing is
    chosen; ids Django would not take as integers still go the ORM's way."""
    from wagtail import blocks
    from wagtail.snippets.blocks import SnippetChooserBlock

    from cms.blocks import PreparedPageChooserBlock, PreparedSnippetChooserBlock
    from cms.factories import RegionFactory

    regions = [RegionFactory(name=f"示例地区{i}", slug=f"region-{i}") for i in range(4)]
    pages = [site_tree["news"], site_tree["policies"]]
    cases = [
        (PreparedSnippetChooserBlock("cms.Region"), SnippetChooserBlock("cms.Region"), [r.pk for r in regions]),
        (PreparedPageChooserBlock(), blocks.PageChooserBlock(), [p.pk for p in pages]),
    ]
    for fast, wagtail, ids in cases:
        for values in (
            ids[:1],
            ids,
            [ids[0], None, ids[-1], ids[0], 10_000_000],
            ids * 7,  # more than 5 distinct values would need padding; repeats do not
            [None, None],
            [],
            [str(ids[0]), None],
        ):
            expected = wagtail.bulk_to_python(values)
            with CaptureQueriesContext(connection) as queries:
                found = fast.bulk_to_python(values)
            assert [type(o) for o in found] == [type(o) for o in expected], values
            assert [o.pk if o else None for o in found] == [o.pk if o else None for o in expected]
            assert all(a is None or as_dict(a) == as_dict(b) for a, b in zip(found, expected, strict=True))
            # An id chosen twice gives two objects, as in Wagtail.
            assert len({id(o) for o in found if o is not None}) == sum(o is not None for o in found)
            assert len(queries) == (1 if any(v is not None for v in values) else 0), values
    # Migrations see Wagtail's own blocks.
    assert PreparedPageChooserBlock().deconstruct()[0] == "wagtail.blocks.PageChooserBlock"
    assert PreparedSnippetChooserBlock("cms.Region").deconstruct()[0] == "wagtail.snippets.blocks.SnippetChooserBlock"


@pytest.mark.parametrize("with_memoryview", [False, True])
def test_copy_instance_makes_what_copy_copy_makes(site_tree, with_memoryview):
    import copy

    from cms.blocks import copy_instance

    article = ArticlePageFactory(parent=site_tree["news"], title="示例文章", slug="copy-sample")
    article = ArticlePage.routing_queryset().get(pk=article.pk)  # source and lead image loaded
    if with_memoryview:
        article.extra = memoryview(b"raw")  # Django's pickling turns memoryviews to bytes and back
    fast, slow = copy_instance(article), copy.copy(article)
    assert type(fast) is type(slow) is ArticlePage
    assert list(fast.__dict__) == list(slow.__dict__)
    for name, value in fast.__dict__.items():
        if name not in ("_state", "extra"):
            assert value is slow.__dict__[name], name  # a shallow copy, as copy.copy's
    assert type(fast._state) is type(slow._state)
    assert list(vars(fast._state)) == list(vars(slow._state))
    assert fast._state is not article._state and fast._state.db == article._state.db
    assert fast._state.adding is slow._state.adding is False
    assert fast._state.fields_cache == article._state.fields_cache
    assert fast._state.fields_cache is not article._state.fields_cache
    if with_memoryview:
        assert isinstance(fast.extra, memoryview) and bytes(fast.extra) == b"raw"
    fast.title = "改过"
    fast._state.fields_cache.clear()
    assert article.title == "示例文章" and article._state.fields_cache


def test_converters_are_looked_up_once_per_connection(site_tree, monkeypatch):
    """Django's column converters (dates, booleans, JSON, UUIDs) are made on the first run
    on a connection and used again after; the rows still come out as the ORM's."""
    from django.db.models.sql.compiler import SQLCompiler

    article = ArticlePageFactory(parent=site_tree["news"], title="示例文章", slug="sample")
    expected = as_dict(ArticlePage.routing_queryset().get(pk=article.pk))
    query = Prepared(lambda pk: ArticlePage.routing_queryset().filter(pk=pk), pk=int)
    calls = []
    unwatched = SQLCompiler.get_converters

    def watched(compiler, expressions):
        calls.append(compiler.connection)
        return unwatched(compiler, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", watched)
    for _ in range(3):
        (found,) = query.run(pk=article.pk)
        assert as_dict(found) == expected
    assert calls == [connections["default"]]
