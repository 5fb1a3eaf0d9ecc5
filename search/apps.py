from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    # "search" alone would clash with nothing today, but keep the label explicit:
    # wagtail.search's label is "wagtailsearch".
    name = "search"
    label = "site_search"
    verbose_name = _("搜索")
