from cms.demo import child_page, register
from news.models import NewsIndexPage


@register(100)
def load_news_index(ctx):
    ctx.news_index = child_page(
        ctx.home,
        NewsIndexPage,
        "news",
        title="新闻",
        show_in_menus=True,
        listing_summary="重庆及川渝、鲁渝地区的科技新闻、图片新闻和政策新闻。",
    )
