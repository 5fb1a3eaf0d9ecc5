"""Three of the template language's inner steps without work that changes nothing.

A page prints its values through some 250 variable lookups and renders some 350 nodes
(the policy page: callgrind 1.1 % of its instructions for both changes, the article
1.7 %).

- ``{{ page.title }}``: Django's ``Variable._resolve_lookup`` tries each part as a key
  first; for an object whose type has no ``__getitem__`` (a page, a model, most
  objects) it raises a ``TypeError`` and catches it before it looks the attribute up.
  ``resolve_lookup`` goes to the attribute straight away for those, and otherwise does
  what Django does, in the same order, with the same errors and the same ``None``,
  ``string_if_invalid`` and callable handling. Whether a class has ``__getitem__`` is
  asked once per class (``hasattr`` on a class that has none raises and catches an
  ``AttributeError``, message included: about 60 times a policy page), and the first
  part, a name in the context, is looked for in the context's layers in place, as
  ``Context.__getitem__`` does, unless the context's class finds names its own way.
- ``NodeList.render`` calls each node's ``render_annotated``, which only adds the
  template's line to an exception when the engine is in debug mode. With debug off,
  ``render_nodes`` calls each node's ``render`` itself; with debug on (``make run``) it
  is Django's, so the error page still points at the line.
- Every ``{{ value }}`` and ``{% if value %}`` resolves a ``FilterExpression``, which asks
  its ``Variable`` to resolve, which looks the name up (about 260 expressions on a
  policy page). ``resolve_expression`` calls the lookup itself for a name with no
  filter, where ``Variable.resolve`` would only pass its answer on; literals,
  ``_("…")`` and expressions with filters take Django's way.
"""

from inspect import signature

from django.template.base import BaseContext, FilterExpression, NodeList, Variable, VariableDoesNotExist, logger
from django.utils.safestring import SafeString

_django_render_nodes = NodeList.render


def render_nodes(self, context):
    """``NodeList.render``: the nodes' output joined, marked safe."""
    if context.template.engine.debug:
        return _django_render_nodes(self, context)
    return SafeString("".join([node.render(context) for node in self]))  # nosec B703: each node escapes its own output, as in Django


def _attribute(current, bit):
    """Django's attribute and list-index lookups, for a part that is not a key of ``current``."""
    try:
        # Don't return class attributes if the class is the context:
        if isinstance(current, BaseContext) and getattr(type(current), bit):
            raise AttributeError
        return getattr(current, bit)
    except (TypeError, AttributeError):
        # Reraise if the exception was raised by a @property
        if not isinstance(current, BaseContext) and bit in dir(current):
            raise
        try:  # list-index lookup
            return current[int(bit)]
        except (IndexError, ValueError, KeyError, TypeError):
            raise VariableDoesNotExist("Failed lookup for key [%s] in %r", (bit, current)) from None


_PLAIN_CONTEXTS = {}  # context class -> whether it finds names with BaseContext.__getitem__


def _plain_context(context_class):
    plain = _PLAIN_CONTEXTS[context_class] = (
        issubclass(context_class, BaseContext) and context_class.__getitem__ is BaseContext.__getitem__
    )
    return plain


# class -> whether it has __getitem__. Asked of a class, hasattr raises and catches an
# AttributeError, with its message, for every class without one (a page, a model).
_KEYED = {}
MAX_KEYED = 1000  # classes made at run time (form classes) must not accumulate here


def _keyed(kind):
    if len(_KEYED) >= MAX_KEYED:
        _KEYED.clear()
    keyed = _KEYED[kind] = hasattr(kind, "__getitem__")
    return keyed


def resolve_lookup(self, context):
    """``Variable._resolve_lookup`` (Django 5.2's, step for step), without raising and
    catching a ``TypeError`` for each part looked up on an object that has no keys, and
    with the context's layers searched in place for the first part."""
    current = context
    # The first part is a name in the context: its layers are searched here, as
    # Context.__getitem__ would, unless the context's class looks names up its own way.
    first = _PLAIN_CONTEXTS.get(type(context))
    if first is None:
        first = _plain_context(type(context))
    try:  # catch-all for silent variable failures
        for bit in self.lookups:
            if first:
                first = False
                for layer in reversed(current.dicts):
                    if bit in layer:
                        current = layer[bit]
                        break
                else:
                    current = _attribute(current, bit)
            else:
                keyed = _KEYED.get(type(current))
                if keyed is None:
                    keyed = _keyed(type(current))
                if keyed:
                    try:  # dictionary lookup
                        current = current[bit]
                    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
                        current = _attribute(current, bit)
                else:
                    current = _attribute(current, bit)
            if callable(current):
                if getattr(current, "do_not_call_in_templates", False):
                    pass
                elif getattr(current, "alters_data", False):
                    current = context.template.engine.string_if_invalid
                else:
                    try:  # method call (assuming no args required)
                        current = current()
                    except TypeError:
                        try:
                            current_signature = signature(current)
                        except ValueError:  # No signature found.
                            current = context.template.engine.string_if_invalid
                        else:
                            try:
                                current_signature.bind()
                            except TypeError:  # Arguments *were* required.
                                current = context.template.engine.string_if_invalid
                            else:
                                raise
    except Exception as e:
        template_name = getattr(context, "template_name", None) or "unknown"
        logger.debug(
            "Exception while resolving variable '%s' in template '%s'.",
            bit,
            template_name,
            exc_info=True,
        )
        if getattr(e, "silent_variable_failure", False):
            current = context.template.engine.string_if_invalid
        else:
            raise
    return current


_django_resolve_lookup = Variable._resolve_lookup
_django_resolve_expression = FilterExpression.resolve


def resolve_expression(self, context, ignore_failures=False):
    """``FilterExpression.resolve`` (Django 5.2's): for a name to look up with no filter,
    the lookup called at once; anything else through Django's."""
    var = self.var
    if self.filters or not self.is_var or var.lookups is None or var.translate:
        return _django_resolve_expression(self, context, ignore_failures)
    try:
        return var._resolve_lookup(context)
    except VariableDoesNotExist:
        if ignore_failures:
            return None
        string_if_invalid = context.template.engine.string_if_invalid
        return string_if_invalid % var if "%s" in string_if_invalid else string_if_invalid


def install():
    """Use all three in every template (called once, at start-up)."""
    NodeList.render = render_nodes
    Variable._resolve_lookup = resolve_lookup
    FilterExpression.resolve = resolve_expression
