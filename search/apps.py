from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    # "search" alone would clash with nothing today, but keep the label explicit:
    # wagtail.search's label is "wagtailsearch".
    name = "search"
    label = "site_search"
    verbose_name = _("搜索")

    def ready(self):
        from . import vocabulary
        from .models import SearchSynonym, SearchTerm

        for signal in (post_save, post_delete):
            signal.connect(vocabulary.term_changed, sender=SearchTerm, dispatch_uid=f"search-term-{signal}")
            signal.connect(vocabulary.synonym_changed, sender=SearchSynonym, dispatch_uid=f"search-synonym-{signal}")
