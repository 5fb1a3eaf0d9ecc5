"""The policy library, one per site at /policies/, with its feeds and the matcher as routes."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models import BasePageMixin
from policy import matching
from policy.feeds import PolicyAtomFeed, PolicyFeed
from policy.forms import MatchForm
from policy.listing import PolicyListing


class PolicyLibraryPage(RoutablePageMixin, BasePageMixin, Page):
    """The policy library, one per site at /policies/."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["home.HomePage"]
    subpage_types = ["policy.PolicyPage", "policy.InterpretationPage"]
    usual_child_model = "policy.PolicyPage"  # one routing query for a policy
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("政策文件库")

    @path("")
    def index(self, request):
        listing = PolicyListing(request.GET)
        context = self.get_context(request)
        context.update(
            listing=listing,
            results=listing.page(request.GET.get("page")),
            facets=listing.facets,
        )
        return TemplateResponse(request, self.get_template(request), context)

    @path("rss.xml/", name="rss")
    def rss(self, request):
        return PolicyFeed(self)(request)

    @path("atom.xml/", name="atom")
    def atom(self, request):
        return PolicyAtomFeed(self)(request)

    @path("match/", name="match")
    def match(self, request):
        form = MatchForm(request.GET or None)
        matches = misses = None
        if form.is_valid():
            matches, misses = matching.match(**form.cleaned_data)
        context = self.get_context(request)
        context.update(form=form, matches=matches, misses=misses)
        return TemplateResponse(request, "policy/policy_match.html", context)
