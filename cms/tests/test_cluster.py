"""Clusterable models keep their lists of child relations (cms.cluster)."""

import pytest

from django.apps import apps

from modelcluster import models as cluster_models
from modelcluster.models import ClusterableModel

from cms import cluster

pytestmark = pytest.mark.django_db


def test_the_kept_lists_are_modelclusters():
    models = [m for m in apps.get_models() if issubclass(m, ClusterableModel)]
    assert len(models) > 10
    for model in models:
        assert cluster_models.get_all_child_relations(model) == cluster._wagtail_child_relations(model)
        assert cluster_models.get_all_child_m2m_relations(model) == cluster._wagtail_child_m2m_relations(model)
        instance = model()
        assert cluster_models.get_all_child_relations(instance) == cluster._wagtail_child_relations(model)


def test_a_new_list_of_fields_is_read_again():
    from news.models import ArticlePage

    before = cluster_models.get_all_child_relations(ArticlePage)
    assert cluster._kept[(cluster._wagtail_child_relations, ArticlePage._meta)][0] is ArticlePage._meta.get_fields()
    ArticlePage._meta._expire_cache()  # what Django does when relations change
    assert cluster_models.get_all_child_relations(ArticlePage) == before
    assert cluster._kept[(cluster._wagtail_child_relations, ArticlePage._meta)][0] is ArticlePage._meta.get_fields()
    # Callers get their own list.
    cluster_models.get_all_child_relations(ArticlePage).clear()
    assert cluster_models.get_all_child_relations(ArticlePage) == before


def test_child_objects_given_to_the_constructor_are_still_set():
    from news.models import ArticlePage, ArticleRelatedItem

    items = [ArticleRelatedItem(sort_order=0), ArticleRelatedItem(sort_order=1)]
    article = ArticlePage(title="示例文章", related_items=items)
    assert list(article.related_items.all()) == items
    assert article.title == "示例文章"
