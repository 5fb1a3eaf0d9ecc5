"""The policy matcher: from an enterprise's profile to the measures that apply, with reasons.

For every measure of a policy in force the matcher checks four conditions (tier, region,
industry, deadline). A condition the profile cannot decide (no region given, free-text
conditions) does not exclude the measure; it is listed as something to check.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cms.choices import EnterpriseTier, label_text
from cms.models import Region
from cms.queries import public
from policy import validity
from policy.choices import Industry
from policy.measures import eligible_tiers, iter_measures

APPLICABLE_STATES = [validity.Validity.IN_FORCE, validity.Validity.AMENDED]


def service_url(key):
    """Service pages live at /services/<key>/ (services app; linked by key, never imported)."""
    return f"/services/{key}/" if key else ""


@dataclass
class Outcome:
    policy: object
    measure: object
    reasons: list = field(default_factory=list)
    undecidable: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    link_url: str = ""

    @property
    def matches(self):
        return not self.failures

    @property
    def service_url(self):
        return service_url(self.measure.service_key)


def match(*, tier, region=None, industry="", needs=(), on=None):
    """Return (matches, non_matches) for a profile; both lists of ``Outcome``."""
    from wagtail.models import Page

    from policy.models.policy import public_policies

    on = on or validity.today()
    regions = {r.pk: r for r in Region.objects.all()}
    policies = (
        public_policies(on).filter(validity__in=APPLICABLE_STATES).defer("body").order_by("-publish_date", "-pk")
    )
    outcomes = []
    for policy in policies:
        for measure in iter_measures(policy.measures.raw_data):
            if needs and measure.service_key not in needs:
                continue  # not what the enterprise asked for: neither a match nor a miss
            outcomes.append(_judge(policy, measure, tier, region, industry, needs, regions, on))
    link_ids = {o.measure.link_id for o in outcomes if o.measure.link_id}
    links = {p.pk: p for p in public(Page.objects.live()).filter(pk__in=link_ids)} if link_ids else {}
    for outcome in outcomes:
        if outcome.measure.link_id in links:
            outcome.link_url = links[outcome.measure.link_id].url
    matches = sorted((o for o in outcomes if o.matches), key=_deadline_first)
    misses = [o for o in outcomes if not o.matches]
    return matches, misses


def _deadline_first(outcome):
    return outcome.measure.deadline or datetime.date.max


def _judge(policy, measure, tier, region, industry, needs, regions, on):
    outcome = Outcome(policy=policy, measure=measure)
    tier_label = EnterpriseTier(tier).label
    listed = "、".join(str(EnterpriseTier(t).label) for t in measure.tiers)
    if tier not in eligible_tiers(measure.tiers):
        outcome.failures.append(_("仅面向%(listed)s，您选择的是%(tier)s。") % {"listed": listed, "tier": tier_label})
    elif not measure.tiers:
        outcome.reasons.append(_("企业层级：不限。"))
    elif tier in measure.tiers:
        outcome.reasons.append(
            _("企业层级：面向%(listed)s，与您的%(tier)s相符。") % {"listed": listed, "tier": tier_label}
        )
    else:
        outcome.reasons.append(
            _("企业层级：面向%(listed)s；%(tier)s层级更高，同样适用。") % {"listed": listed, "tier": tier_label}
        )

    names = "、".join(regions[pk].name for pk in measure.region_ids if pk in regions)
    if not measure.region_ids:
        outcome.reasons.append(_("地区：不限。"))
    elif region is None:
        outcome.undecidable.append(_("未选择所在地区，该措施限于：%(names)s。") % {"names": names})
    elif set(measure.region_ids) & _with_ancestors(region.pk, regions):
        outcome.reasons.append(_("地区：%(region)s属于%(names)s。") % {"region": region.name, "names": names})
    else:
        outcome.failures.append(
            _("仅限%(names)s的企业，您选择的是%(region)s。") % {"names": names, "region": region.name}
        )

    labels = "、".join(label for code in measure.industries if (label := label_text(Industry, code)))
    if not measure.industries:
        outcome.reasons.append(_("行业：不限。"))
    elif not industry:
        outcome.undecidable.append(_("未选择所属行业，该措施限于：%(labels)s。") % {"labels": labels})
    elif industry in measure.industries:
        outcome.reasons.append(_("行业：%(label)s在适用范围内。") % {"label": Industry(industry).label})
    else:
        outcome.failures.append(_("仅限%(labels)s。") % {"labels": labels})

    if needs and measure.service_key in needs:
        outcome.reasons.append(_("提供您需要的服务：%(service)s。") % {"service": measure.service_label})
    if measure.deadline and measure.deadline < on:
        outcome.failures.append(_("申报已于%(date)s截止。") % {"date": f"{measure.deadline:%Y年%-m月%-d日}"})
    if measure.conditions:
        outcome.undecidable.append(_("其他条件需自行核对：%(text)s") % {"text": measure.conditions})
    return outcome


def _with_ancestors(region_id, regions):
    chain, seen = set(), region_id
    while seen and seen in regions and seen not in chain:  # guards against a cycle editors could create
        chain.add(seen)
        seen = regions[seen].parent_id
    return chain
