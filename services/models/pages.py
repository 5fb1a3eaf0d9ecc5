from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models import BasePageMixin


class ServiceIndexPage(BasePageMixin, Page):
    """The SME service hall, one per site at /services/."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["home.HomePage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("企业服务栏目")
