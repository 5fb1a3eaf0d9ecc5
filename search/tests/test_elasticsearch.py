"""Elasticsearch 9 settings: checked without a server; live tests need ELASTICSEARCH_URL.

No Elasticsearch can run on the project's machines, so nothing here fakes one:
the merged settings and mappings are what modelsearch would send, and the live
tests run only where a real cluster is configured.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from django.conf import settings

from modelsearch.backends.elasticsearch9 import Elasticsearch9Mapping

from home.models import StandardPage
from search.backends.elasticsearch_fallback import ElasticsearchFallbackSearchBackend
from search.elasticsearch_settings import ANALYZERS, BACKEND, backend_settings, index_settings

LIVE_URL = os.environ.get("ELASTICSEARCH_URL", "")
live = pytest.mark.skipif(not LIVE_URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch to test against")


def make_backend(**kwargs):
    params = backend_settings(kwargs.pop("urls", "http://127.0.0.1:9200"), **kwargs)
    params.pop("BACKEND")
    return ElasticsearchFallbackSearchBackend(params)


@pytest.mark.parametrize("analyzer", sorted(ANALYZERS))
def test_index_settings_set_default_analyzer(analyzer):
    analysis = index_settings(analyzer)["settings"]["analysis"]
    assert "default" in analysis["analyzer"]


def test_unknown_analyzer_is_refused():
    with pytest.raises(ValueError, match="ELASTICSEARCH_ANALYZER"):
        index_settings("icu")


def test_backend_settings_shape():
    entry = backend_settings("http://es1:9200, http://es2:9200", index_prefix="cq_", analyzer="ik")
    assert entry["BACKEND"] == BACKEND == "search.backends.elasticsearch_fallback"
    assert entry["FALLBACK"] == "db_fallback"
    assert entry["URLS"] == ["http://es1:9200", "http://es2:9200"]
    assert entry["INDEX_PREFIX"] == "cq_"
    assert entry["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default_search"]["tokenizer"] == "ik_smart"


def test_merged_settings_keep_modelsearch_analyzers():
    backend = make_backend(index_prefix="cq_")
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert analyzers["default"] == {"type": "cjk"}
    # Deep-merged, not replaced: autocomplete still has its edge n-grams.
    assert {"ngram_analyzer", "edgengram_analyzer"} <= set(analyzers)
    assert backend.index_prefix == "cq_"
    assert backend.get_index_for_model(StandardPage).name == "cq_wagtailcore_page"


def test_smartcn_settings_merge():
    backend = make_backend(analyzer="smartcn")
    assert backend.settings["settings"]["analysis"]["analyzer"]["default"] == {"type": "smartcn"}


def test_mapping_text_fields_use_the_index_default_analyzer():
    mapping = Elasticsearch9Mapping(StandardPage).get_mapping()
    properties = mapping["properties"]
    title = next(value for key, value in properties.items() if key.endswith("title") and value["type"] == "text")
    # No per-field analyzer: the index's "default" (cjk / IK / smartcn) applies.
    assert "analyzer" not in title
    assert properties["_all_text"] == {"type": "text"}


def _settings_in_subprocess(extra_env):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
        **extra_env,
    }
    if not extra_env.get("ELASTICSEARCH_URL"):
        env.pop("ELASTICSEARCH_URL", None)
    code = "import json; from django.conf import settings; print(json.dumps(settings.WAGTAILSEARCH_BACKENDS))"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_settings_use_elasticsearch_when_url_set():
    backends = _settings_in_subprocess(
        {"ELASTICSEARCH_URL": "http://es:9200", "ELASTICSEARCH_INDEX_PREFIX": "cq_", "ELASTICSEARCH_ANALYZER": "ik"}
    )
    default = backends["default"]
    assert default["BACKEND"] == BACKEND
    assert default["URLS"] == ["http://es:9200"]
    assert default["INDEX_PREFIX"] == "cq_"
    assert default["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default"]["tokenizer"] == "ik_max_word"
    # The database index is kept beside the cluster and answers while it is unreachable.
    assert default["FALLBACK"] == "db_fallback"
    assert backends["db_fallback"] == {"BACKEND": "search.backends.database"}


def test_production_settings_default_to_segmenting_database_backend():
    assert _settings_in_subprocess({})["default"]["BACKEND"] == "search.backends.database"


@live
@pytest.mark.live_es
@pytest.mark.django_db
def test_live_cluster_finds_word_inside_title(home_page):
    backend = make_backend(urls=LIVE_URL, index_prefix=f"test_{uuid.uuid4().hex[:8]}_")
    page = StandardPage(title="重庆市专精特新小巨人企业服务行动方案")
    home_page.add_child(instance=page)
    index = backend.get_index_for_model(StandardPage)
    index.reset()
    try:
        index.add_model(StandardPage)
        index.add_item(page)
        index.refresh()
        assert [p.pk for p in backend.search("小巨人", StandardPage)] == [page.pk]
        assert list(backend.search("区块链", StandardPage)) == []
    finally:
        index.delete()
