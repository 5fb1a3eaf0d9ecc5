"""Elasticsearch 9 that falls back to the database backend while the cluster is unreachable.

Production (``ELASTICSEARCH_URL`` set) configures two backends: ``default`` (this one) and
``db_fallback`` (``search.backends.database``). Both are kept up to date on every save and
by ``update_index``, so the database index can answer at any time. When a search, count or
facet cannot reach the cluster (connection refused, timeout, a 5xx answer), the same query
runs on the fallback backend and a warning is logged; for ``FALLBACK_SECONDS`` afterwards
(30 by default) searches go straight to the fallback instead of waiting for the cluster
again, then the cluster is tried anew. Pages keep answering; only the ranking changes.

Index updates need nothing here: modelsearch already logs, rather than raises, an indexing
error of an Elasticsearch backend (``catch_indexing_errors``), so publishing never fails
because the cluster is down. Run ``manage.py update_index`` once it is back.
"""

import logging
import time

from elastic_transport import TransportError
from elasticsearch import ApiError

from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchResults,
)

logger = logging.getLogger(__name__)

# modelsearch builds a new backend object for every search, so the "cluster is down" mark
# lives here, per process, keyed by the cluster's hosts.
_down_until = {}


def cluster_unavailable(error):
    """True for errors that say the cluster cannot answer, not that the query is wrong."""
    if isinstance(error, TransportError):  # connection refused, timeout, TLS, no live node
        return True
    return isinstance(error, ApiError) and (error.meta.status >= 500 or error.meta.status == 429)


class FallbackSearchResults(Elasticsearch9SearchResults):
    def _fallback_results(self):
        compiler = self.query_compiler
        backend = get_search_backend(self.backend.fallback_name)
        method = (
            backend.autocomplete if isinstance(compiler, Elasticsearch9AutocompleteQueryCompiler) else backend.search
        )
        # The query object already carries its operator.
        results = method(
            compiler.query, compiler.queryset, fields=compiler.fields, order_by_relevance=compiler.order_by_relevance
        )
        results = results[self.start : self.stop]
        if self._score_field:
            results = results.annotate_score(self._score_field)
        return results

    def _try(self, on_cluster, on_fallback):
        if self.backend.cluster_marked_down():
            return on_fallback(self._fallback_results())
        try:
            return on_cluster()
        except (TransportError, ApiError) as error:
            if not cluster_unavailable(error):
                raise
            self.backend.mark_cluster_down()
            logger.warning(
                "Elasticsearch unreachable (%s); searching the '%s' backend for the next %s s",
                error.__class__.__name__,
                self.backend.fallback_name,
                self.backend.fallback_seconds,
            )
            return on_fallback(self._fallback_results())

    def _do_search(self):
        return self._try(lambda: list(super(FallbackSearchResults, self)._do_search()), list)

    def _do_count(self):
        return self._try(super()._do_count, lambda results: results.count())

    def facet(self, field_name):
        return self._try(lambda: super(FallbackSearchResults, self).facet(field_name), lambda r: r.facet(field_name))


class ElasticsearchFallbackSearchBackend(Elasticsearch9SearchBackend):
    results_class = FallbackSearchResults

    def __init__(self, params):
        params = dict(params)
        self.fallback_name = params.pop("FALLBACK", "db_fallback")
        self.fallback_seconds = float(params.pop("FALLBACK_SECONDS", 30))
        super().__init__(params)
        self.cluster_key = repr(self.hosts)

    def mark_cluster_down(self):
        _down_until[self.cluster_key] = time.monotonic() + self.fallback_seconds

    def cluster_marked_down(self):
        return time.monotonic() < _down_until.get(self.cluster_key, 0.0)


SearchBackend = ElasticsearchFallbackSearchBackend
