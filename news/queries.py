"""Querysets for listings, shared by the index page, feeds and the home page helper.

Everything a card shows is fetched up front so the number of queries does not grow
with the number of articles shown (a test holds this).
"""

from django.db.models import Prefetch


def listing(articles):
    from news.models import ArticleByline

    return (
        articles.select_related("source", "lead_image", "listing_image")
        .prefetch_related(
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("organisation")),
            "topics",
            "regions",
            "lead_image__renditions",
            "listing_image__renditions",
        )
        .order_by("-display_date", "-pk")
    )
