"""Image filters that read their spec once per process.

Each ``{% image %}``, ``{% picture %}`` and ``get_rendition`` call makes new ``Filter``
objects, and each one builds its operations from its spec: it asks Wagtail's hooks for
the registered operations and constructs an object per operation, about 35 µs per filter
on this machine; the article's lead image and its social-card image use seven. The
operations a spec gives do not change while the process runs (the hooks are registered
at start-up) and Wagtail's operations keep no state from one image to the next, so the
operations built for a spec are kept and shared by every filter with that spec.
"""

from django.utils.functional import cached_property

from wagtail.images.models import Filter

# Specs come from templates and code; ``get_rendition`` may be given any string, so the
# number kept is bounded. An invalid spec raises and is not kept.
MAX_SPECS = 1_000

_operations_by_spec = {}
_wagtail_operations = Filter.__dict__["operations"].func


def kept_operations(self):
    operations = _operations_by_spec.get(self.spec)
    if operations is None:
        operations = _wagtail_operations(self)
        if len(_operations_by_spec) < MAX_SPECS:
            _operations_by_spec[self.spec] = operations
    return operations


def forget():
    """Forget the kept operations (a test that registers an image operation)."""
    _operations_by_spec.clear()


def install():
    """Make every image filter use the kept operations for its spec (called once, at start-up)."""
    if Filter.__dict__["operations"].func is kept_operations:
        return
    operations = cached_property(kept_operations)
    operations.__set_name__(Filter, "operations")
    Filter.operations = operations
