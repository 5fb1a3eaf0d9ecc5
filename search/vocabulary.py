"""Keep the segmenter and the index in step with the editors' vocabulary.

A saved or deleted ``SearchTerm``/``SearchSynonym`` rebuilds this process's
segmenter at commit (and bumps a cache version so other processes follow
within ``segmentation.RECHECK_SECONDS``). Synonyms act at query time only, so
nothing else is needed for them. A new or removed dictionary word changes how
existing text is segmented: ``reindex_word`` re-indexes the objects whose
text may contain the word, up to ``REINDEX_LIMIT``; past that the task logs
that ``manage.py update_index`` is needed.
"""

import logging

from django_tasks import task

from django.db import transaction

from modelsearch import index as search_index
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models

from . import segmentation

logger = logging.getLogger(__name__)

REINDEX_LIMIT = 5000


def candidates(word):
    """Objects whose index has every character of ``word``: a superset of those containing it.

    Characters are searched one by one (separated by spaces), which every
    version of the dictionary indexes, before and after the change.
    """
    spaced = " ".join(ch for ch in word if not ch.isspace())
    backend = get_search_backend()
    for model in get_indexed_models():
        if model._meta.parents:
            continue  # subclasses are reached through their indexed root (Page…)
        yield from backend.search(spaced, model, order_by_relevance=False)


@task()
def reindex_word(word):
    found = 0
    for obj in candidates(word):
        found += 1
        if found > REINDEX_LIMIT:
            logger.warning(
                "search dictionary: more than %s objects may contain %r; run manage.py update_index",
                REINDEX_LIMIT,
                word,
            )
            return found
        search_index.insert_or_update_object(obj)
    logger.info("search dictionary: re-indexed %s objects for %r", found, word)
    return found


def term_changed(sender, instance, **kwargs):
    words = {instance.word}
    previous = getattr(instance, "_previous_word", None)
    if previous and previous != instance.word:
        words.add(previous)

    def after_commit():
        segmentation.reload()
        for word in words:
            reindex_word.enqueue(word)

    transaction.on_commit(after_commit)


def synonym_changed(sender, instance, **kwargs):
    transaction.on_commit(segmentation.reload)
