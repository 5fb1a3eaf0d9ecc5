"""RSS 2.0 and Atom feeds of the newest articles, served by NewsIndexPage routes."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

from cms.queries import children, public
from news import queries

FEED_SIZE = 50


class ArticleRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, index_page):
        return index_page

    def title(self, index_page):
        site = Site.find_for_request(self.request)
        return f"{index_page.title} - {site.site_name if site and site.site_name else settings.WAGTAIL_SITE_NAME}"

    def link(self, index_page):
        return index_page.get_full_url(self.request)

    def description(self, index_page):
        return index_page.get_listing_summary() or _("最新科技新闻")

    def feed_url(self, index_page):
        return self.request.build_absolute_uri()

    def items(self, index_page):
        from news.models import ArticlePage

        return list(queries.listing(public(children(ArticlePage.objects.live(), index_page)))[:FEED_SIZE])

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.get_listing_summary()

    def item_link(self, article):
        return article.get_full_url(self.request)

    def item_guid(self, article):
        return article.get_full_url(self.request)

    def item_pubdate(self, article):
        return timezone.localtime(article.date) if article.date else None

    def item_updateddate(self, article):
        return timezone.localtime(article.last_published_at or article.date)

    def item_author_name(self, article):
        return "、".join(article.author_names()) or None

    def item_categories(self, article):
        return [topic.name for topic in article.topics.all()]


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed
    subtitle = ArticleRssFeed.description
