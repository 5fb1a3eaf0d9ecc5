import wagtail_factories

from policy.models import PolicyLibraryPage


class PolicyLibraryPageFactory(wagtail_factories.PageFactory):
    title = "政策"
    slug = "policies"

    class Meta:
        model = PolicyLibraryPage
