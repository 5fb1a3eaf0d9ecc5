from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import Organisation, Region, Topic


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("地区")
    list_display = ["name", "level", "parent", "sort_order"]
    list_filter = ["level", "parent"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("主题")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "short_name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name"]
    list_export = ["name", "short_name", "kind", "region", "website"]


class TaxonomyGroup(SnippetViewSetGroup):
    items = (RegionViewSet, TopicViewSet, OrganisationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("分类与机构")
    menu_name = "taxonomy"
    menu_order = 300


register_snippet(TaxonomyGroup)
