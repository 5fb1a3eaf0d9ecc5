"""``{% include_block %}`` rendering a block's template inside the including template's context.

Wagtail's tag renders each block on its own: it flattens the whole template context into
a dictionary, ``Block.render`` copies that dictionary again for the block's
``get_context``, and ``render_to_string`` looks the template up through every engine,
wraps it for the backend and builds a new ``Context`` around the copy. A policy page
includes fourteen blocks (eleven support measures), and that path cost about 60,000
instructions each, some 4 % of the page (callgrind).

For the common case, a block with a template of its own and Wagtail's ``render``, this
gives the block's ``get_context`` the same flattened parent context, pushes what it
returns onto the including template's context and renders the block's template there, as
Django's ``{% include %}`` does: the template sees the same names with the same values,
and its ``{% cycle %}`` and block state stay its own. A ``get_context`` marked
``parent_context_unused`` (it only adds names, as Wagtail's own) gets an empty parent
context instead of the flattened one; the template finds the other names below what it
returned, as before. Everything else takes Wagtail's way:
``with`` or ``only``, a block class with its own ``render``, a block without a template,
values that are not blocks, and a context whose escaping or localisation was switched by
the including template (Wagtail's fresh context would not inherit that).
"""

from django.core.signals import setting_changed
from django.template import VariableDoesNotExist, engines
from django.template.backends.django import DjangoTemplates
from django.template.loaders.cached import Loader as CachedLoader

from wagtail.blocks import Block, BoundBlock, StructValue
from wagtail.templatetags.wagtailcore_tags import IncludeBlockNode

_wagtail_render = IncludeBlockNode.render


def _block_and_value(value):
    """``(block, value)`` that ``value.render_as_block`` would render with ``Block.render``,
    or ``None`` for anything else."""
    if isinstance(value, BoundBlock):
        if type(value).render_as_block is not BoundBlock.render_as_block:
            return None
        block, value = value.block, value.value
    elif isinstance(value, StructValue):
        if type(value).render_as_block is not StructValue.render_as_block:
            return None
        block = value.block
    else:
        return None
    if type(block).render is not Block.render:
        return None
    return block, value


_NEEDS_PARENT = {}  # block class -> whether its get_context may read parent_context


def _needs_parent_context(block_class):
    """Whether some ``get_context`` of ``block_class`` (or of a class it inherits from) may
    read ``parent_context``: one that is not marked with ``parent_context_unused``."""
    try:
        return _NEEDS_PARENT[block_class]
    except KeyError:
        needs = any(
            not getattr(klass.__dict__["get_context"], "parent_context_unused", False)
            for klass in block_class.__mro__
            if "get_context" in klass.__dict__
        )
        _NEEDS_PARENT[block_class] = needs
        return needs


def _django_engine():
    """The Django template engine ``render_to_string`` would find block templates in, when
    it is the only engine (else ``None``: Wagtail's way searches them all)."""
    backends = engines.all()
    if len(backends) == 1 and isinstance(backends[0], DjangoTemplates):
        return backends[0].engine
    return None


_TEMPLATES = {}  # block template name -> (engine, template), see _engine_and_template


def _engine_and_template(name):
    """``(engine, template)`` for the block template ``name`` when Django's engine is the
    only one, else ``None``.

    Kept per name once found through an engine out of debug mode whose loaders all cache
    (they give the same compiled template every time): looking the engine up and the name
    through it cost about 4 µs a block. Forgotten when ``TEMPLATES`` changes; a debug
    engine, which may reload an edited template, is asked each time.
    """
    found = _TEMPLATES.get(name)
    if found is None:
        engine = _django_engine()
        if engine is None:
            return None
        found = (engine, engine.get_template(name))
        if not engine.debug and all(isinstance(loader, CachedLoader) for loader in engine.template_loaders):
            _TEMPLATES[name] = found
    return found


def _forget_templates(*, setting, **kwargs):
    if setting == "TEMPLATES":
        _TEMPLATES.clear()


def render(self, context):
    """``IncludeBlockNode.render``, with the block's template rendered in ``context``."""
    if self.extra_context or not self.use_parent_context:
        return _wagtail_render(self, context)
    try:
        value = self.block_var.resolve(context)
    except VariableDoesNotExist:
        return ""
    found = _block_and_value(value)
    if found is None:
        return _wagtail_render(self, context)
    block, value = found
    template_name = getattr(block.meta, "template", None)
    engine_and_template = _engine_and_template(template_name) if template_name else None
    if engine_and_template is None:
        return _wagtail_render(self, context)
    engine, template = engine_and_template
    if context.autoescape != engine.autoescape or context.use_l10n is not None or context.use_tz is not None:
        return _wagtail_render(self, context)
    # A get_context that only adds names gets none of the parent's: what it returns is
    # pushed onto the including context, whose names the template sees through it all the
    # same (flattening the whole context for each block was about 1 % of the policy page).
    parent = context.flatten() if _needs_parent_context(type(block)) else {}
    values = block.get_context(value, parent_context=parent)
    # What Context.push does, without copying the block's values into a new layer; the
    # layer (and anything left above it) is taken off again however rendering ends.
    depth = len(context.dicts)
    context.dicts.append(values)
    try:
        if context.template is None:  # not inside a template's rendering: Django binds one
            return template.render(context)
        return render_bound(template, context)
    finally:
        del context.dicts[depth:]


def render_bound(template, context):
    """``template.render(context)`` for a context already bound to a template.

    What ``Template.render`` does there: the render state pushed for ``template`` and
    restored however rendering ends, so the block's ``{% cycle %}`` and other node state
    stay its own. Without the generator-based context manager and the ``ContextDict``
    Django makes for that (``RenderContext`` only reads its top layer); the policy page
    renders fourteen blocks.
    """
    state = context.render_context
    initial, state.template = state.template, template
    state.dicts.append({})
    try:
        return template._render(context)
    finally:
        state.template = initial
        state.dicts.pop()


def install():
    """Make ``{% include_block %}`` render through ``render`` (called once, at start-up)."""
    IncludeBlockNode.render = render
    setting_changed.connect(_forget_templates, dispatch_uid="cms.block_rendering")
