from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models import BasePageMixin
from cms.queries import children, in_tree_order, public


class ServiceIndexPage(RoutablePageMixin, BasePageMixin, Page):
    """The SME service hall, one per site at /services/; also serves tracking and receipts."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["home.HomePage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("企业服务栏目")

    def get_context(self, request, *args, **kwargs):
        from services.models.service_pages import ServicePage

        context = super().get_context(request, *args, **kwargs)
        context["service_pages"] = in_tree_order(public(children(ServicePage.objects.live(), self)))
        return context

    @path("track/", name="track")
    def track(self, request):
        from services.views import track

        return track(self, request)

    @re_path(r"^receipt/(?P<reference>[A-Z0-9-]{6,30})/$", name="receipt")
    def receipt(self, request, reference):
        from services.views import receipt

        return receipt(self, request, reference)
