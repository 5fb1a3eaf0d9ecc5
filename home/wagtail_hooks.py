"""Home sits on top of services: it tells the register's analysis page which figures it publishes."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail import hooks

from cms.choices import EnterpriseTier
from home.models import HomePage

# Which tier a home-page statistic counts, recognised by words in its label (most specific first).
TIER_WORDS = [
    ("小巨人", EnterpriseTier.NATIONAL_LITTLE_GIANT),
    ("市级", EnterpriseTier.MUNICIPAL),
    ("培育入库", EnterpriseTier.CULTIVATION),
]


def tier_of(label):
    return next((tier for word, tier in TIER_WORDS if word in label), None)


@hooks.register("services_published_enterprise_figures")
def home_page_enterprise_figures():
    figures = []
    for home in HomePage.objects.live().only("pk", "title", "statistics"):
        edit_url = reverse("wagtailadmin_pages:edit", args=[home.pk])
        for block in home.statistics:
            tier = tier_of(block.value["label"])
            if tier:
                figures.append(
                    (
                        block.value["label"],
                        tier.value,
                        block.value["value"],
                        _("%(title)s·统计数字") % {"title": home.title},
                        edit_url,
                    )
                )
    return figures
