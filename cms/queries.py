"""Query helpers for public listings that keep a page's query count fixed.

Wagtail's ``PageQuerySet.public()`` reads every view restriction with a query of its own
each time it is called, so a page that lists articles, neighbours, related items and the
menu pays one query per listing. ``public()`` here says the same thing in SQL: leave out
pages at or below a restricted page, as a subquery of the listing's own query.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr

from wagtail.models import PageViewRestriction


def private_pages_q(page=""):
    """True for a page whose path starts with a restricted page's path (itself included).

    ``page``: the lookup to the page from the queryset's model (``"page"`` for a row that
    links to one), so a few linked rows are checked without listing every public page.
    """
    path = f"{page}__path" if page else "path"
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef(path), 1, Length("page__path")),
    )
    return Exists(restricted)


def public(queryset):
    """``queryset.public()`` without the extra query."""
    return queryset.exclude(private_pages_q())
