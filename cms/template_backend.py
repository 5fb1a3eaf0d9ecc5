"""Django's template backend, with a rendered context that does not point at itself.

``RequestContext`` pushes two ``ContextDict`` layers that are never popped (the context
processors' and the view's), and each holds its context: a reference cycle that kept the
context, and the page, request and stream values it holds, until the cyclic garbage
collector ran (see the note on cycles in ``cms.middleware``). After a template has been
rendered nothing uses those layers as context managers, so their link back is dropped.
"""

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import ContextDict, make_context


class Template(django_backend.Template):
    def render(self, context=None, request=None):
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        finally:
            release(context)


def release(context):
    """Drop the link from each ``ContextDict`` layer of ``context`` back to ``context``."""
    for layer in context.dicts:
        if type(layer) is ContextDict:
            layer.__dict__.pop("context", None)


class DjangoTemplates(django_backend.DjangoTemplates):
    """``BACKEND`` for ``TEMPLATES``: Django's, rendering through ``Template`` above."""

    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)
