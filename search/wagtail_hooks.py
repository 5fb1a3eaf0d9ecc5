from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import SearchSynonym, SearchTerm


class SearchTermViewSet(SnippetViewSet):
    model = SearchTerm
    icon = "search"
    menu_label = _("词典")
    list_display = ["word", "note"]
    ordering = ["word"]


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "link"
    menu_label = _("同义词")
    list_display = ["__str__", "note"]


class SearchVocabularyGroup(SnippetViewSetGroup):
    items = (SearchTermViewSet, SearchSynonymViewSet)
    menu_icon = "search"
    menu_label = _("搜索词典")
    menu_name = "search-vocabulary"


register_snippet(SearchVocabularyGroup)
