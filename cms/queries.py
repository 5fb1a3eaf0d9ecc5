"""Query helpers for public listings that keep a page's query count fixed.

Wagtail's ``PageQuerySet.public()`` reads every view restriction with a query of its own
each time it is called, so a page that lists articles, neighbours, related items and the
menu pays one query per listing. ``public()`` here leaves out pages at or below a
restricted page using the restricted paths kept with the other versioned values
(``cms.cache``: rebuilt when content changes, which saving a restriction is).

An earlier version said it in SQL, as a correlated ``EXISTS`` over the restrictions
joined to their pages. Its speed hung on the planner: once SQLite had statistics
(``ANALYZE``), it scanned the whole page table for every candidate row, and the previous
article lookup took 450 ms at 2,000 articles instead of 0.3 ms. A list of paths (empty on
most sites) gives every planner the same plain prefix test.
"""

import json

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Expression, F, Q
from django.db.models.functions import Left

from wagtail.models import Page, PageViewRestriction

from cms.cache import versioned


def restricted_paths():
    """Tree paths of pages with a view restriction (their descendants are restricted too)."""
    return versioned(
        "restricted-page-paths",
        lambda: tuple(sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))),
        shared=True,
    )


def alias_paths():
    """Tree paths of alias pages (an alias takes its source's restrictions)."""
    return versioned(
        "alias-page-paths",
        lambda: tuple(sorted(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))),
        shared=True,
    )


def may_be_restricted(page):
    """False when no view restriction can apply to ``page``, known without a query.

    Wagtail's ``get_view_restrictions`` lists the page's ancestors and then their
    restrictions: two queries on every page view, for a result that is empty unless the
    page is at or below a restricted page, or it or an ancestor is an alias (whose source
    may be restricted).
    """
    restricted = restricted_paths()
    if not restricted:
        return False
    path = page.path
    if not path:  # not in the tree yet (a preview of a new page): ask Wagtail
        return True
    return any(path.startswith(p) for p in restricted) or any(path.startswith(p) for p in alias_paths())


def unrestricted_sql(path_column):
    """``public()`` for hand-written SQL: conditions and parameters leaving out pages at or
    below a restricted page, for the page whose tree path is in ``path_column``.

    Returns ``([], [])`` when nothing is restricted (most sites).
    """
    paths = restricted_paths()
    if not paths:
        return [], []
    test = f"SUBSTR({path_column}, 1, %s) = %s"
    params = []
    for path in paths:
        params += [len(path), path]
    return ["NOT (" + " OR ".join([test] * len(paths)) + ")"], params


def _under_q(paths):
    q = Q(pk__in=[])  # restricts nothing
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def public(queryset):
    """``queryset.public()`` without the extra query."""
    paths = restricted_paths()
    return queryset.exclude(_under_q(paths)) if paths else queryset


def children(queryset, page):
    """``queryset.child_of(page)``, with the parent test as a prefix comparison.

    ``child_of`` says ``path LIKE %s``; SQLite plans a ``LIKE`` on a bound parameter as a
    scan of the page table, whatever else the query could use. A prefix that no index
    serves leaves the choice to the other conditions: a listing sorted by an indexed date
    walks that index and stops after one page of results.
    """
    return queryset.alias(parent_path=Left("path", len(page.path))).filter(parent_path=page.path, depth=page.depth + 1)


def descendants(queryset, page):
    """``queryset.descendant_of(page)``, with the ancestor test as a prefix comparison."""
    return queryset.alias(ancestor_path=Left("path", len(page.path))).filter(
        ancestor_path=page.path, depth__gt=page.depth
    )


def in_tree_order(pages):
    """A few pages of one type as a list in tree order (``order_by("path")``, in Python).

    For small sets such as the service pages. Said plainly (``order_by("path")``, or no
    order, which for pages is the same), SQLite walked the page table's path index over
    every page on the site and looked each one up in the type's table: 2 ms at 2,000
    articles on the home page, growing with the site. Naming the type's own rows
    (``pk IN (SELECT pk FROM that table)``, true of every row) makes it start from that
    small table; the sort is left to Python.
    """
    model = pages.model
    own_rows = pages.filter(pk__in=model._base_manager.values("pk")).order_by()
    return sorted(own_rows, key=lambda page: page.path)


class InIds(Expression):
    """``filter(InIds("pk", ids))``: the field's value is one of the integers ``ids``,
    sent as one parameter however many there are.

    ``pk__in=ids`` sends a parameter per id: at a search's thousands of matching ids
    Django spent longer preparing them than the database took to answer, a statement
    used several times (a listing's facets) paid it each time, and SQLite refuses more
    than 250,000 parameters. SQLite reads the ids from a JSON array (``json_each``),
    PostgreSQL from an array (``= ANY``); another database gets the usual list.
    """

    output_field = BooleanField()

    def __init__(self, field, ids):
        super().__init__()
        self.lhs = F(field) if isinstance(field, str) else field
        self.ids = [int(pk) for pk in ids]

    def __repr__(self):
        return f"InIds({self.lhs!r}, {len(self.ids)} ids)"

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, exprs):
        (self.lhs,) = exprs

    def as_sql(self, compiler, connection):
        if not self.ids:
            raise EmptyResultSet
        # lhs is the column Django compiled; the ids are parameters.
        lhs, params = compiler.compile(self.lhs)
        if connection.vendor == "sqlite" and connection.features.supports_json_field:
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608  # nosec B608
            return sql, [*params, json.dumps(self.ids)]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, self.ids]
        placeholders = ", ".join(["%s"] * len(self.ids))
        return f"{lhs} IN ({placeholders})", [*params, *self.ids]
