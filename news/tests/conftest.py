import datetime

import pytest

from django.utils import timezone

from wagtail.models import Site

from cms.factories import OrganisationFactory, RegionFactory, TopicFactory
from news.factories import ArticleBylineFactory, ArticlePageFactory
from news.models import NewsSettings


@pytest.fixture
def news_index(site_tree):
    return site_tree["news"]


@pytest.fixture
def cq_daily(db):
    paper = OrganisationFactory(name="重庆日报", slug="chongqing-daily", kind="media")
    news_settings = NewsSettings.for_site(Site.objects.get(is_default_site=True))
    news_settings.own_paper = paper
    news_settings.save()
    return paper


@pytest.fixture
def xinhua(db):
    return OrganisationFactory(name="新华社", slug="xinhua", kind="media")


@pytest.fixture
def make_articles(news_index, cq_daily):
    """``make_articles(n)``: n fully dressed articles (byline, topic, region, image)."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    topic = TopicFactory(name="专精特新", slug="specialised-smes")
    region = RegionFactory(name="江北区", slug="jiangbei")

    def make(count, **fields):
        articles = []
        for number in range(count):
            image = get_image_model().objects.create(title=f"图{number}", file=get_test_image_file())
            article = ArticlePageFactory(
                parent=news_index,
                source=cq_daily,
                lead_image=image,
                display_date=timezone.make_aware(datetime.datetime(2021, 9, 1)) + datetime.timedelta(hours=number),
                **fields,
            )
            article.topics.add(topic)
            article.regions.add(region)
            article.save()
            ArticleBylineFactory(article=article, name=f"记者{number}", organisation=cq_daily)
            articles.append(article)
        return articles

    return make
