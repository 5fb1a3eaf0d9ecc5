"""Elasticsearch 9 / OpenSearch settings with a Chinese analyzer.

Imported by ``cms/settings/production.py``, so it must import nothing from
Django. No segmentation happens in Python on this path: the cluster's
analyzer does it. ``cjk`` (bigrams, built into every cluster) is the default;
``ik`` and ``smartcn`` need the matching plugin on the cluster.
"""

ANALYZERS = {
    # Built in: overlapping bigrams, so any two-character word inside a run is found.
    "cjk": {
        "analyzer": {
            "default": {"type": "cjk"},
        },
    },
    # IK plugin: index every possible word, search with the coarsest split.
    "ik": {
        "analyzer": {
            "default": {"type": "custom", "tokenizer": "ik_max_word"},
            "default_search": {"type": "custom", "tokenizer": "ik_smart"},
        },
    },
    # analysis-smartcn plugin.
    "smartcn": {
        "analyzer": {
            "default": {"type": "smartcn"},
        },
    },
}

# Wagtail's Elasticsearch 9 backend plus a fallback to the database backend while the
# cluster is unreachable (search/backends/elasticsearch_fallback.py).
BACKEND = "search.backends.elasticsearch_fallback"
FALLBACK_NAME = "db_fallback"
DATABASE_BACKEND = "search.backends.database"


def index_settings(analyzer="cjk"):
    """``INDEX_SETTINGS`` deep-merged by modelsearch over its own analysis settings."""
    try:
        analysis = ANALYZERS[analyzer]
    except KeyError:
        choices = ", ".join(sorted(ANALYZERS))
        raise ValueError(f"ELASTICSEARCH_ANALYZER must be one of: {choices}") from None
    return {"settings": {"analysis": analysis}}


def backend_settings(urls, index_prefix="cms_", analyzer="cjk", timeout=10, fallback_seconds=30):
    """One ``WAGTAILSEARCH_BACKENDS`` entry for Elasticsearch 9 (falling back to ``db_fallback``)."""
    if isinstance(urls, str):
        urls = [u.strip() for u in urls.split(",") if u.strip()]
    return {
        "BACKEND": BACKEND,
        "URLS": list(urls),
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        "INDEX_SETTINGS": index_settings(analyzer or "cjk"),
        "FALLBACK": FALLBACK_NAME,
        "FALLBACK_SECONDS": fallback_seconds,
    }


def search_backends(urls, index_prefix="cms_", analyzer="cjk", timeout=10, fallback_seconds=30):
    """``WAGTAILSEARCH_BACKENDS``: Elasticsearch as default, the database index kept beside it as fallback."""
    return {
        "default": backend_settings(urls, index_prefix, analyzer, timeout, fallback_seconds),
        FALLBACK_NAME: {"BACKEND": DATABASE_BACKEND},
    }
