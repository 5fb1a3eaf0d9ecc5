"""Load before the workers fork what each worker would otherwise load on its first requests.

gunicorn preloads the application and forks its workers from the master; a worker is
replaced after ``max_requests`` requests. Without this, every new worker read jieba's
dictionary on its first search (about 0.55 s), imported the URLconfs on its first request
(about 60 ms) and compiled the templates of each page type on first use, so some
requests in every few thousand took up to 0.6 s. Done once in the master, the workers
inherit all of it (copy-on-write) and start warm.

Nothing here may leave the master holding a database connection: a connection opened
before ``fork`` would be shared by every worker. ``warm_up`` closes them all.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

# Third-party templates the public pages render (the service forms' crispy layout).
THIRD_PARTY_TEMPLATE_DIRS = ("bootstrap5",)


def public_template_names():
    """The names of the project's own templates and of the third-party ones listed above."""
    names = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        root = Path(directory)
        names += sorted(str(path.relative_to(root)) for path in root.rglob("*.html"))
    import crispy_bootstrap5

    package_templates = Path(crispy_bootstrap5.__file__).parent / "templates"
    for prefix in THIRD_PARTY_TEMPLATE_DIRS:
        names += sorted(
            str(path.relative_to(package_templates)) for path in (package_templates / prefix).rglob("*.html")
        )
    return names


def warm_up():
    """Warm this process; returns {step: seconds} for the log."""
    timings = {}

    def step(name, function):
        started = time.perf_counter()
        try:
            function()
        except Exception:  # a cold worker is better than a server that does not start
            logger.exception("warm-up step %s failed", name)
        timings[name] = time.perf_counter() - started

    def templates():
        engine = engines["django"]
        for name in public_template_names():
            engine.get_template(name)

    def catalogs():
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("搜索")

    def dictionary():
        from search.segmentation import get_segmenter

        get_segmenter()  # jieba's dictionary, plus the editors' words (one query)

    def urls():
        with translation.override(settings.LANGUAGE_CODE):
            get_resolver().reverse_dict  # noqa: B018 - imports and indexes every URLconf

    step("urls", urls)
    step("translations", catalogs)
    step("templates", templates)
    step("search dictionary", dictionary)
    connections.close_all()
    return timings
