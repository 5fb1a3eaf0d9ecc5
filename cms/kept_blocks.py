"""``{% extends %}`` finding its root template's ``{% block %}`` tags once per parsed template.

Rendering a page that extends ``base.html``, Django's ``ExtendsNode.render`` walks the
whole node tree of the root template on every render to collect its block tags
(``NodeList.get_nodes_by_type``: every node, every nested list of an ``{% if %}`` or
``{% for %}``), about 1 % of an article view. A parsed template's nodes never change
once it is parsed (the cached loader keeps the template; a changed file is parsed into a
new ``Template``), so the answer is kept on the template object.

``render`` is Django's own (Django 5.2), with that one lookup kept.
"""

from django.template.base import TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode

_django_render = ExtendsNode.render


def root_blocks(template):
    """``{name: BlockNode}`` of every block tag in ``template``, found once per template."""
    blocks = template.__dict__.get("_kept_root_blocks")
    if blocks is None:
        blocks = template._kept_root_blocks = {n.name: n for n in template.nodelist.get_nodes_by_type(BlockNode)}
    return blocks


def render(self, context):
    compiled_parent = self.get_parent(context)

    if BLOCK_CONTEXT_KEY not in context.render_context:
        context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
    block_context = context.render_context[BLOCK_CONTEXT_KEY]

    # Add the block nodes from this node to the block context
    block_context.add_blocks(self.blocks)

    # If this block's parent doesn't have an extends node it is the root,
    # and its block nodes also need to be added to the block context.
    for node in compiled_parent.nodelist:
        # The ExtendsNode has to be the first non-text node.
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                block_context.add_blocks(root_blocks(compiled_parent))
            break

    # Call Template._render explicitly so the parser context stays the same.
    with context.render_context.push_state(compiled_parent, isolated_context=False):
        return compiled_parent._render(context)


def install():
    """Put ``render`` in place of Django's (called once, at start-up)."""
    ExtendsNode.render = render
