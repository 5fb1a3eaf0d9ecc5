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

BACKEND = "wagtail.search.backends.elasticsearch9"


def index_settings(analyzer="cjk"):
    """``INDEX_SETTINGS`` deep-merged by modelsearch over its own analysis settings."""
    try:
        analysis = ANALYZERS[analyzer]
    except KeyError:
        choices = ", ".join(sorted(ANALYZERS))
        raise ValueError(f"ELASTICSEARCH_ANALYZER must be one of: {choices}") from None
    return {"settings": {"analysis": analysis}}


def backend_settings(urls, index_prefix="cms_", analyzer="cjk", timeout=10):
    """One ``WAGTAILSEARCH_BACKENDS`` entry for Elasticsearch 9."""
    if isinstance(urls, str):
        urls = [u.strip() for u in urls.split(",") if u.strip()]
    return {
        "BACKEND": BACKEND,
        "URLS": list(urls),
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        "INDEX_SETTINGS": index_settings(analyzer or "cjk"),
    }
