"""The library's search, facets and ordering, shared by the HTML listing and the feeds.

Facet counts are disjunctive: each facet is counted over the result set with every
*other* active filter applied, so the selected value shows the current total and its
siblings show what switching to them would give. Each facet costs one query; none grows
with the number of results.
"""

import re

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.functional import cached_property
from django.utils.http import urlencode

from cms.choices import EnterpriseTier
from cms.queries import InIds
from policy import docnumber, validity
from policy.choices import DocType
from policy.forms import PolicyFilterForm
from policy.measures import TIER_ORDER
from search.backends.allowed import ranked_pks

PER_PAGE = 20
# Punctuation means nothing to a full-text search and some of it ("*, quotes) is query
# syntax to SQLite FTS5 or PostgreSQL; only word characters (CJK included) go to the backend.
_TERM_SEPARATORS = re.compile(r"[^\w]+")


class Year(ExtractYear):
    """``ExtractYear`` that SQLite answers in C (``strftime``): Django's own SQLite form calls
    back into Python for every row (at 1,500 policies, most of the grouped facet query's
    time). Other databases keep Django's SQL."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


def _sum_by(rows, key):
    """Rows summed into one per value of ``key``: ``[{key: value, "n": total}]``."""
    totals = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0) + row["n"]
    return [{key: value, "n": n} for value, n in totals.items()]


class PolicyListing:
    def __init__(self, params, on=None):
        from policy.models import PolicyPage  # the models import this module

        self.model = PolicyPage
        self.params = params
        self.on = on or validity.today()
        self.form = PolicyFilterForm(params)
        self._grouped_rows = {}
        self.values = self.form.values()
        self.query = (self.values.get("q") or "").strip()
        default_sort = PolicyFilterForm.SORT_RELEVANCE if self.query else PolicyFilterForm.SORT_DATE
        self.sort = self.values.get("sort") or default_sort
        if not self.query:
            self.sort = PolicyFilterForm.SORT_DATE

    # -- result set ----------------------------------------------------------------------

    @cached_property
    def search_ids(self):
        """Matching page ids, best first; None when no query was typed."""
        if not self.query:
            return None
        ids = []
        parsed = docnumber.parse(self.query)
        if parsed:
            # A 文号 in any bracket style finds its document through the stored canonical form.
            lookup = (
                Q(doc_number_normalised=parsed.canonical)
                if parsed.agency
                else Q(doc_year=parsed.year, doc_serial=parsed.number)
            )
            ids.extend(self.model.objects.live().filter(lookup).order_by("-publish_date").values_list("pk", flat=True))
        terms = " ".join(_TERM_SEPARATORS.sub(" ", self.query).split())
        if terms:
            seen = set(ids)
            # Only the ids, best first: every match is filtered and counted in SQL. (A
            # backend that loads the objects to give them loads them without their streams.)
            results = self.model.objects.live().defer_streamfields().search(terms)
            ids.extend(pk for pk in ranked_pks(results) if pk not in seen)
        return ids

    @cached_property
    def base(self):
        from policy.models.policy import public_policies

        qs = public_policies(self.on)
        if self.search_ids is not None:
            qs = qs.filter(InIds("pk", self.search_ids))
        return qs

    def filtered(self, exclude=None):
        qs = self.base
        for name in PolicyFilterForm.FACETS:
            if name == exclude or name not in self.values:
                continue
            qs = qs.filter(self._condition(name, self.values[name]))
        return qs

    def _condition(self, name, value):
        from policy.models import PolicyIssuer, PolicyTopic

        if name == "issuer":
            return Q(pk__in=PolicyIssuer.objects.filter(organisation__slug=value).values("page_id"))
        if name == "topic":
            return Q(pk__in=PolicyTopic.objects.filter(topic__slug=value).values("page_id"))
        if name == "doc_type":
            return Q(doc_type=value)
        if name == "year":
            return Q(publish_date__year=value)
        if name == "status":
            return Q(validity=value)
        if name == "tier":
            return Q(tiers_key__contains=f"|{value}|")
        raise ValueError(name)

    # -- page of results ---------------------------------------------------------------------

    def page(self, number):
        qs = self.filtered()
        if self.sort == PolicyFilterForm.SORT_RELEVANCE:
            wanted = set(qs.values_list("pk", flat=True))
            ordered = [pk for pk in self.search_ids if pk in wanted]
            page = Paginator(ordered, PER_PAGE).get_page(number)
            from policy.models.policy import public_policies

            listed = public_policies(self.on).defer_streamfields().with_listing_related()
            rows = {p.pk: p for p in listed.filter(pk__in=list(page.object_list))}
            page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
            return page
        qs = qs.order_by("-publish_date", "-pk").defer_streamfields()
        return Paginator(qs.with_listing_related(), PER_PAGE).get_page(number)

    def latest(self, limit):
        qs = self.filtered().order_by("-publish_date", "-pk").defer_streamfields()
        return list(qs.with_listing_related()[:limit])

    # -- facets ---------------------------------------------------------------------------

    @cached_property
    def facets(self):
        from policy.models import PolicyIssuer, PolicyTopic

        facets = []
        pks = self.filtered(exclude="issuer").values("pk")
        rows = (
            PolicyIssuer.objects.filter(page_id__in=pks)
            .values("organisation__slug", "organisation__name")
            .annotate(n=Count("page_id", distinct=True))
            .order_by("-n", "organisation__name")
        )
        facets.append(self._facet("issuer", None, rows, "organisation__slug", "organisation__name"))
        pks = self.filtered(exclude="topic").values("pk")
        rows = (
            PolicyTopic.objects.filter(page_id__in=pks)
            .values("topic__slug", "topic__name")
            .annotate(n=Count("page_id", distinct=True))
            .order_by("-n", "topic__name")
        )
        facets.append(self._facet("topic", None, rows, "topic__slug", "topic__name"))
        rows = self._grouped("doc_type")
        rows = _sum_by(rows, "doc_type")
        rows = sorted(rows, key=lambda r: (-r["n"], r["doc_type"]))
        facets.append(
            self._facet("doc_type", None, [{**r, "label": DocType(r["doc_type"]).label} for r in rows], "doc_type")
        )
        rows = sorted(_sum_by(self._grouped("year"), "y"), key=lambda r: -r["y"])
        facets.append(self._facet("year", None, [{**r, "label": str(r["y"])} for r in rows], "y"))
        counts = {r["validity"]: r["n"] for r in _sum_by(self._grouped("status"), "validity")}
        rows = [{"key": s.value, "label": s.label, "n": counts[s.value]} for s in validity.Validity if counts.get(s)]
        facets.append(self._facet("status", None, rows, "key"))
        grouped = self._grouped("tier")
        counts = {tier: sum(r["n"] for r in grouped if f"|{tier}|" in r["tiers_key"]) for tier in TIER_ORDER}
        rows = [{"key": t.value, "label": t.label, "n": counts[t.value]} for t in EnterpriseTier if counts[t.value]]
        facets.append(self._facet("tier", None, rows, "key"))
        return facets

    def _grouped(self, name):
        """Result counts by document type, year, validity and tiers, for the facet ``name``.

        A facet is counted with every other filter applied; while it is not itself
        selected that is just the filtered result set, so the inactive facets share one
        grouped query instead of one query each.
        """
        exclude = name if name in self.values else None
        if exclude not in self._grouped_rows:
            self._grouped_rows[exclude] = list(
                self.filtered(exclude=exclude)
                .annotate(y=Year("publish_date"))
                .values("doc_type", "y", "validity", "tiers_key")
                .annotate(n=Count("pk"))
                .order_by()
            )
        return self._grouped_rows[exclude]

    def _facet(self, name, label, rows, key, label_key="label"):
        selected = self.values.get(name)
        options = [
            {
                "value": str(row[key]),
                "label": row[label_key],
                "count": row["n"],
                "selected": str(row[key]) == str(selected),
                "url": self.url_with(**{name: None if str(row[key]) == str(selected) else row[key]}),
            }
            for row in rows
        ]
        return {"name": name, "label": label or self.form.fields[name].label, "options": options}

    # -- links ------------------------------------------------------------------------------

    def url_with(self, **changes):
        """The query string for this view with ``changes`` applied (None removes); back to page 1."""
        params = {k: v for k, v in self.values.items() if k != "page"}
        params.update(changes)
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return "?" + urlencode(params) if params else "?"

    @property
    def page_url_prefix(self):
        """This view's query string ready for "page=N" to be appended."""
        query = self.url_with()
        return query if query == "?" else query + "&"

    @property
    def url_with_relevance(self):
        return self.url_with(sort=PolicyFilterForm.SORT_RELEVANCE)

    @property
    def url_with_date(self):
        return self.url_with(sort=PolicyFilterForm.SORT_DATE)

    @property
    def hidden_fields(self):
        """Facets and sort carried over when a new query is typed."""
        return [(k, v) for k, v in self.values.items() if k != "q"]

    @property
    def active_facets(self):
        return [name for name in PolicyFilterForm.FACETS if name in self.values]

    @property
    def noindex(self):
        return len(self.active_facets) > 1 or bool(self.query)

    def feed_query(self):
        params = {k: v for k, v in self.values.items() if k in PolicyFilterForm.FACETS or k == "q"}
        return "?" + urlencode(params) if params else ""
