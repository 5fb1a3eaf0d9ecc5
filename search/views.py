"""Site search: one box over every public page type, tabs by type with counts."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from cms.cache import set_versioned_many, versioned, versioned_many
from cms.kept import remember
from cms.queries import public, restricted_paths

from . import hits
from .backends.allowed import same_sql_as
from .highlight import highlight, highlight_terms, snippet
from .normalise import has_search_terms, normalise_query
from .page_text import page_text, prefetch_page_text
from .result_types import OTHER, OTHER_LABEL, content_type_map, result_types

RESULTS_PER_PAGE = 10
SUGGESTIONS = 8
SORTS = {"relevance": _("相关度"), "date": _("发布时间")}


# Restricted paths → the public-pages queryset, built once per process (never evaluated:
# each search gets a clone). Building it took some 80 µs a search, a clone 3 µs.
_PUBLIC_PAGES = {}


def public_pages():
    """Live pages below the root that no view restriction covers: a new queryset each call.

    ``cms.queries.public``: the restrictions come from the shared cache, not a query per
    search; the queryset depends on nothing else.
    """
    paths = tuple(restricted_paths())
    built = remember(_PUBLIC_PAGES, paths, lambda: public(Page.objects.live().filter(depth__gt=1)), 16)
    return same_sql_as(built.all(), ("site-search", paths))


def promoted_queries():
    """Query strings that have editors' picks (shared cache, rebuilt when content changes)."""
    return versioned(
        "search-promoted-queries",
        lambda: frozenset(SearchPromotion.objects.values_list("query__query_string", flat=True)),
        shared=True,
    )


class SiteSearch:
    """One search request: the query, the chosen tab and sort, and what they yield.

    Small methods so a policy-library search (or a test) can reuse the parts.
    """

    def __init__(self, query, type_key="", sort="relevance"):
        self.query = query
        # Wagtail's public() reads the view restrictions with a query: once per search, not per use.
        self.public_pages = public_pages()
        # A tab per type that has page models (non-page models are not searched here yet).
        self.types = [t for t in result_types() if any(issubclass(m, Page) for m in t.models)]
        self.labels = {t.key: t.label for t in self.types} | {OTHER: OTHER_LABEL}
        self.type_key = type_key if type_key in self.labels else ""
        self.sort = sort if sort in SORTS else "relevance"
        self.mapping = content_type_map()
        self.terms = highlight_terms(query)

    def promotions(self):
        """Editors' picks for this query: on the "all" tab, live public pages or links."""
        if self.type_key or normalise_query_string(self.query) not in promoted_queries():
            return []
        picks = list(Query.get(self.query).editors_picks.select_related("page"))
        page_ids = [pick.page_id for pick in picks if pick.page_id]
        public_ids = set(self.public_pages.filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
        return [pick for pick in picks if pick.page_id is None or pick.page_id in public_ids]

    def content_types_for(self, key):
        return [ct for ct, mapped in self.mapping.items() if mapped == key]

    def results(self, exclude_ids=()):
        # Plain pages: everything a result shows but its snippet text is on the page row,
        # and the text comes from the shared cache (see texts()).
        pages = self.public_pages
        if self.type_key == OTHER:
            pages = pages.exclude(content_type__in=list(self.mapping))
        elif self.type_key:
            pages = pages.filter(content_type__in=self.content_types_for(self.type_key))
        if exclude_ids:
            pages = pages.exclude(id__in=list(exclude_ids))
        if self.sort == "date":
            return pages.order_by("-first_published_at").search(self.query, order_by_relevance=False)
        return pages.search(self.query)

    def counts(self):
        """Results per tab for the whole query, in one faceted search."""
        counts = {}
        for ct_id, count in self.public_pages.search(self.query).facet("content_type_id").items():
            key = self.mapping.get(ct_id, OTHER)
            counts[key] = counts.get(key, 0) + count
        return counts

    @cached_property
    def tab_counts(self):
        return self.counts()

    def tabs(self):
        counts = self.tab_counts
        tabs = [{"key": "", "label": _("全部"), "count": sum(counts.values())}]
        tabs += [{"key": t.key, "label": t.label, "count": counts.get(t.key, 0)} for t in self.types]
        if counts.get(OTHER):
            tabs.append({"key": OTHER, "label": OTHER_LABEL, "count": counts[OTHER]})
        return tabs

    def tab_count(self):
        """How many results the chosen tab has, from the faceted counts."""
        if self.type_key:
            return self.tab_counts.get(self.type_key, 0)
        return sum(self.tab_counts.values())

    def texts(self, pages):
        """``{pk: page_text}`` for result pages: the shared cache first, then the specific
        pages that are missing, loaded in bulk (one query per page type and relation)."""
        texts = versioned_many({page.pk: f"search-text:{page.pk}" for page in pages}, shared=True)
        missing = [page.pk for page in pages if page.pk not in texts]
        if missing:
            specific = list(Page.objects.filter(pk__in=missing).specific())
            prefetch_page_text(specific)
            fresh = {page.pk: page_text(page) for page in specific}
            set_versioned_many({f"search-text:{pk}": text for pk, text in fresh.items()}, shared=True)
            texts.update(fresh)
        return texts

    def items(self, pages):
        texts = self.texts(pages)
        return [self.item(page, texts.get(page.pk, "")) for page in pages]

    def item(self, page, text):
        key = self.mapping.get(page.content_type_id, OTHER)
        return {
            "page": page,
            "type_key": key,
            "type_label": self.labels.get(key, OTHER_LABEL),
            "title": highlight(page.title, self.terms),
            "snippet": snippet(text, self.terms),
            "date": page.first_published_at,
        }


def search(request):
    query = normalise_query(request.GET.get("q", ""))
    context = {"search_query": query, "sorts": SORTS, "show_tips": not has_search_terms(query)}
    if context["show_tips"]:
        context.update({"sort": "relevance", "type_key": ""})
    else:
        finder = SiteSearch(query, request.GET.get("type", ""), request.GET.get("sort", ""))
        raw_page = request.GET.get("page", "1")
        first_page = raw_page in ("", "1") or not raw_page.isdigit()
        picks = finder.promotions()
        promotions = picks if first_page else []
        # Promoted pages are left out of the ranked list on every page, so pages stay stable.
        promoted_ids = [pick.page_id for pick in picks if pick.page_id]
        # get_page() turns a bad or out-of-range number into the first or last page.
        paginator = Paginator(finder.results(exclude_ids=promoted_ids), RESULTS_PER_PAGE)
        if not promoted_ids:
            # The tab counts already say how many results this tab has: no second count query.
            paginator.count = finder.tab_count()
        page_obj = paginator.get_page(raw_page)
        context.update(
            {
                "sort": finder.sort,
                "type_key": finder.type_key,
                "tabs": finder.tabs(),
                "promotions": [
                    {
                        "promotion": pick,
                        "title": highlight(pick.title, finder.terms),
                        "description": highlight(pick.description, finder.terms),
                    }
                    for pick in promotions
                ],
                "search_results": page_obj,
                "items": finder.items(list(page_obj.object_list)),
            }
        )
        if first_page:
            # Feeds the admin's popular-searches report (wagtail.contrib.search_promotions).
            hits.record(query)
    response = TemplateResponse(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    if query:
        add_never_cache_headers(response)
    return response


@require_GET
def suggest(request):
    """Title suggestions for the search box (progressive enhancement)."""
    query = normalise_query(request.GET.get("q", ""))
    suggestions = []
    if has_search_terms(query):
        for page in public_pages().autocomplete(query)[:SUGGESTIONS]:
            suggestions.append({"title": page.title, "url": page.get_url(request=request)})
    response = JsonResponse({"query": query, "suggestions": suggestions})
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, public=True, max_age=60)
    return response
