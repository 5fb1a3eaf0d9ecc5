import wagtail_factories

from news.models import NewsIndexPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "新闻"
    slug = "news"

    class Meta:
        model = NewsIndexPage
