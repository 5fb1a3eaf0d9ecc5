import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from django.utils import timezone

from cms.factories import OrganisationFactory
from news.models import ArticleByline, ArticlePage, ArticleRelatedItem, NewsIndexPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "新闻"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"示例新闻{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    lead = "示例导语。"
    display_date = factory.Sequence(
        lambda n: timezone.make_aware(datetime.datetime(2021, 9, 1, 8, 0)) + datetime.timedelta(hours=n)
    )
    body = factory.LazyFunction(lambda: [("paragraph", "<p>示例正文。</p>")])

    class Meta:
        model = ArticlePage


class ArticleBylineFactory(DjangoModelFactory):
    article = factory.SubFactory(ArticlePageFactory)
    name = factory.Sequence(lambda n: f"记者{n}")
    role = ArticleByline.Role.REPORTER
    organisation = None

    class Meta:
        model = ArticleByline


class ArticleRelatedItemFactory(DjangoModelFactory):
    article = factory.SubFactory(ArticlePageFactory)
    page = factory.SubFactory(ArticlePageFactory)

    class Meta:
        model = ArticleRelatedItem


__all__ = ["ArticleBylineFactory", "ArticlePageFactory", "NewsIndexPageFactory", "OrganisationFactory"]
