"""RSS and Atom feeds of the newest policies, for the library or any filtered view of it."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from policy.listing import PolicyListing

FEED_LENGTH = 20


class PolicyFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, library):
        super().__init__()
        self.library = library

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.listing = PolicyListing(request.GET)
        return self.listing

    def title(self, listing):
        return _("%(library)s：最新政策文件") % {"library": self.library.title}

    def link(self, listing):
        return self.library.get_url(self.request) + listing.feed_query()

    def description(self, listing):
        return self.library.listing_summary or _("最新发布的政策文件。")

    def items(self, listing):
        return listing.latest(FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_url(self.request)

    def item_description(self, item):
        parts = [item.doc_number, "、".join(item.issuer_names()), item.validity_label, item.summary]
        return "\n".join(str(part) for part in parts if part)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.publish_date, datetime.time()))

    def item_author_name(self, item):
        return "、".join(item.issuer_names())

    def item_guid(self, item):
        return f"policy-{item.pk}"

    item_guid_is_permalink = False


class PolicyAtomFeed(PolicyFeed):
    feed_type = Atom1Feed
    subtitle = PolicyFeed.description
