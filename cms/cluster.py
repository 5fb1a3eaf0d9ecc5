"""Clusterable models (every Wagtail page) built without listing their fields each time.

modelcluster's ``ClusterableModel.__init__`` lists the model's child relations and
many-to-many fields by walking ``_meta.get_fields()`` (every field and reverse relation
of a page model, well over a hundred) on each instance it makes, only to learn whether
the constructor was given any of them: a page made from a database row never is. The
lists depend on nothing but the model's fields, so they are kept per model and built
again whenever Django's own list of fields is a new object (it makes a new one when the
model's relations change, for example when a model is registered).
"""

import modelcluster.models as cluster_models

_wagtail_child_relations = cluster_models.get_all_child_relations
_wagtail_child_m2m_relations = cluster_models.get_all_child_m2m_relations
_kept = {}  # (function, model options) -> (the fields they came from, the answer)


def _keeping(function):
    def kept(model):
        meta = model._meta
        fields = meta.get_fields()
        entry = _kept.get((function, meta))
        if entry is None or entry[0] is not fields:
            entry = _kept[(function, meta)] = (fields, tuple(function(model)))
        return list(entry[1])

    kept.__doc__ = function.__doc__
    kept.keeps = function
    return kept


def install():
    """Make clusterable models use the kept lists (called once, at start-up)."""
    if getattr(cluster_models.get_all_child_relations, "keeps", None) is None:
        cluster_models.get_all_child_relations = _keeping(_wagtail_child_relations)
        cluster_models.get_all_child_m2m_relations = _keeping(_wagtail_child_m2m_relations)
