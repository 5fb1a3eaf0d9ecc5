"""Querysets for listings, shared by the index page, feeds and the home page helper.

Everything a card shows is fetched up front so the number of queries does not grow
with the number of articles shown (a test holds this).
"""

import datetime

from django.db.models import Prefetch

# Every live article has a display date (``ArticlePage.save``). Saying so as a range lets
# the database read the newest articles off the date index and stop after a page of them;
# without a condition on the date, SQLite scanned and sorted every article in the section
# for each listing (3.5 ms at 2,000 articles, growing with the site).
NO_LATER_THAN = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def newest_first(articles):
    """Articles by display date, newest first (ties by id), served by the date index."""
    return articles.filter(display_date__lte=NO_LATER_THAN).order_by("-display_date", "-pk")


def listing(articles):
    from news.models import ArticleByline

    return newest_first(
        articles.select_related("source", "lead_image", "listing_image").prefetch_related(
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("organisation")),
            "topics",
            "regions",
            "lead_image__renditions",
            "listing_image__renditions",
        )
    )
