"""Querysets for listings, shared by the index page, feeds and the home page helper.

Everything a card shows is fetched up front so the number of queries does not grow
with the number of articles shown (a test holds this).
"""

import datetime

from django.db import connection, connections, router
from django.db.models import Prefetch

from wagtail.models import Page

from cms.kept import remember
from cms.queries import unrestricted_sql

# Every live article has a display date (``ArticlePage.save``). Saying so as a range lets
# the database read the newest articles off the date index and stop after a page of them;
# without a condition on the date, SQLite scanned and sorted every article in the section
# for each listing (3.5 ms at 2,000 articles, growing with the site).
NO_LATER_THAN = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def newest_first(articles):
    """Articles by display date, newest first (ties by id), served by the date index."""
    return articles.filter(display_date__lte=NO_LATER_THAN).order_by("-display_date", "-pk")


def teasers(articles):
    """Newest first with what a headline list shows: title, summary, date, picture.

    A card never shows the body: ``defer_streamfields`` leaves it (and its JSON parsing) out.
    """
    return newest_first(
        articles.defer_streamfields()
        .select_related("lead_image", "listing_image")
        .prefetch_related("lead_image__renditions", "listing_image__renditions")
    )


def listing(articles):
    """``teasers`` plus what a news card adds: source, bylines, topics and regions."""
    from news.models import ArticleByline

    return (
        teasers(articles)
        .select_related("source")
        .prefetch_related(
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("organisation")),
            "topics",
            "regions",
        )
    )


# (database, models, columns, joins, conditions, order, restriction test) -> (names, SQL)
_SELECTS = {}
MAX_SELECTS = 64


def _live_public_select(page_model, columns, model, alias, join, conditions, params, order_by):
    """``(column names, SQL, parameters)`` of the statement ``_live_public_pages`` runs.

    The text depends only on the arguments other than ``params`` and on how many pages are
    restricted, so it is written once per process for each of them (cms.kept.remember):
    writing it (the page model's columns walked, names quoted) took about as long as
    running the neighbours' statement.
    """
    db = router.db_for_read(page_model)
    unrestricted, unrestricted_params = unrestricted_sql("p.path")
    key = (
        db,
        page_model,
        model,
        alias,
        join,
        tuple(columns.items()),
        tuple(conditions),
        order_by,
        tuple(unrestricted),
    )

    def write():
        quote = connections[db].ops.quote_name
        # Django's from_db takes the loaded values in the model's field order.
        names = tuple(f.attname for f in page_model._meta.concrete_fields if f.attname in columns)
        where = " AND ".join(["p.live", *conditions, *unrestricted])
        tables = f"{quote(model._meta.db_table)} {alias} JOIN {quote(Page._meta.db_table)} p ON {join}"
        select = ", ".join(columns[name] for name in names)
        # Names and SQL fragments come from this module and model meta; values are parameters.
        sql = f"SELECT {select} FROM {tables} WHERE {where} ORDER BY {order_by}"  # noqa: S608  # nosec B608
        return names, sql

    names, sql = remember(_SELECTS, key, write, MAX_SELECTS)
    return names, sql, [*params, *unrestricted_params]


def _live_public_pages(page_model, columns, model, alias, join, conditions, params, order_by):
    """``page_model`` instances with ``columns`` loaded (``{attname: SQL expression}``), from
    ``model``'s table (as ``alias``) joined to the page table (as ``p``) ``ON join``, for live
    pages not at or below a restricted page (``public()`` with the cached restricted paths)
    that meet ``conditions``.

    The rows become instances as ``Model.objects.raw`` makes them (deferred fields for the
    columns not read), without its work on the cursor's columns: ``raw`` took about 150 µs
    a call, more than the statement.
    """
    names, sql, params = _live_public_select(page_model, columns, model, alias, join, conditions, params, order_by)
    db = router.db_for_read(page_model)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return [page_model.from_db(db, names, row) for row in cursor.fetchall()]


# What a link to a page needs: its title and URL path (and tree path for the site lookup).
LINK_COLUMNS = {"id": "p.id", "path": "p.path", "title": "p.title", "url_path": "p.url_path"}


def _neighbour_select(article, older):
    """One side of ``neighbours``. Written as SQL: the same query through the ORM took
    about 1 ms to build and compile (filters, the parent test, the restricted paths, the
    tie-break) for a statement that runs in 0.1 ms. The date test leads with a plain
    range so the database walks the ``display_date`` index from this article and stops
    at the first row (a ``LIKE`` on the path or an ``OR`` on the date made SQLite scan
    and sort every article)."""
    from news.models import ArticlePage

    parent_path = article.path[: -Page.steplen]
    date = connection.ops.adapt_datetimefield_value(article.display_date)
    before, order = ("<", "DESC") if older else (">", "ASC")
    return _live_public_select(
        ArticlePage,
        {**LINK_COLUMNS, "page_ptr_id": "a.page_ptr_id"},
        ArticlePage,
        "a",
        "p.id = a.page_ptr_id",
        [
            "p.depth = %s",
            "SUBSTR(p.path, 1, %s) = %s",
            f"a.display_date {before}= %s",
            f"(a.display_date {before} %s OR a.page_ptr_id {before} %s)",
        ],
        [article.depth, len(parent_path), parent_path, date, date, article.pk],
        f"a.display_date {order}, a.page_ptr_id {order} LIMIT 1",
    )


def neighbour(article, *, older):
    """The live, public article beside ``article`` under the same parent, by display date.

    ``older``: the next older one (ties broken by the lower id), else the next newer one.
    A page that shows both asks ``neighbours`` once.
    """
    return neighbours(article)[0 if older else 1]


def neighbours(article):
    """``(next older, next newer)`` as ``neighbour`` finds them, in one statement: the
    article page shows both, and a statement's round trip through the driver and Django
    cost several times what each index seek does."""
    from news.models import ArticlePage

    if article.display_date is None or not article.path:
        return None, None
    names, older_sql, older_params = _neighbour_select(article, older=True)
    _names, newer_sql, newer_params = _neighbour_select(article, older=False)
    # Each side keeps its own ORDER BY ... LIMIT 1 inside a derived table.
    sql = f"SELECT 0, o.* FROM ({older_sql}) o UNION ALL SELECT 1, n.* FROM ({newer_sql}) n"  # noqa: S608  # nosec B608
    db = router.db_for_read(ArticlePage)
    found = [None, None]
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [*older_params, *newer_params])
        for side, *row in cursor.fetchall():
            found[side] = ArticlePage.from_db(db, names, row)
    return tuple(found)


def related_pages(article):
    """The live, public pages ``article`` links to as related items, in the editor's order.

    In SQL for the reason ``neighbour`` is: one statement on every article view, whose
    ORM form cost more to build than to run. Pages come with what a link needs (title
    and URL path).
    """
    from news.models import ArticleRelatedItem

    return _live_public_pages(
        Page,
        LINK_COLUMNS,
        ArticleRelatedItem,
        "r",
        "p.id = r.page_id",
        ["r.article_id = %s"],
        [article.pk],
        "r.sort_order, r.id",
    )
