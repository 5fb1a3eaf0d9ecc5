"""Admin: a newsroom listing of articles with the filters a desk editor uses."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.pages import PageListingViewSet

from news.models import ArticlePage


class ArticleFilterSet(PageListingViewSet.filterset_class):
    class Meta:
        model = ArticlePage
        fields = ["is_photo_news", "source", "topics", "regions"]


class ArticleListingViewSet(PageListingViewSet):
    model = ArticlePage
    icon = "doc-full"
    menu_label = _("新闻稿件")
    menu_order = 150
    add_to_admin_menu = True
    filterset_class = ArticleFilterSet
    columns = [
        *PageListingViewSet.columns,
        Column("display_date", label=_("显示日期"), sort_key="display_date"),
        Column("source", label=_("来源")),
    ]


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet("news_articles")
