"""Bench-only settings: the production settings plus a URLconf with a bare baseline view.

Never used by the product; bench/pages.py serves the baseline with it.
"""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
