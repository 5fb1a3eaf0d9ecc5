"""``{% extends %}`` with the root template's blocks found once (cms.kept_blocks) renders
as Django's does."""

from unittest import mock

from django.template import Context, Engine
from django.template.loader_tags import ExtendsNode

from cms import kept_blocks

TEMPLATES = {
    "root.html": "<{% block a %}A{% endblock %}|{% if x %}{% block b %}B{% endblock %}{% endif %}"
    "|{% for i in items %}{% block c %}C{{ i }}{% endblock %}{% endfor %}>",
    "middle.html": "{% extends 'root.html' %}{% block b %}mid-{{ block.super }}{% endblock %}",
    "leaf.html": "{% extends 'middle.html' %}{% block a %}leaf-{{ block.super }}{% endblock %}"
    "{% block c %}c{{ i }}{% endblock %}",
}


def engine():
    return Engine(loaders=[("django.template.loaders.locmem.Loader", TEMPLATES)])


def test_installed():
    assert ExtendsNode.render is kept_blocks.render


def test_same_output_as_djangos_extends():
    for name in ("middle.html", "leaf.html"):
        for values in ({"x": True, "items": [1, 2]}, {"x": False, "items": []}):
            template = engine().get_template(name)
            ours = [template.render(Context(values)) for _ in range(2)]  # the second with kept blocks
            with mock.patch.object(ExtendsNode, "render", kept_blocks._django_render):
                djangos = template.render(Context(values))
            assert ours == [djangos, djangos], (name, values)
    assert engine().get_template("leaf.html").render(Context({"x": True, "items": [1]})) == "<leaf-A|mid-B|c1>"


def test_the_root_templates_blocks_are_found_once_per_parsed_template():
    root = engine().get_template("root.html")
    blocks = kept_blocks.root_blocks(root)
    assert set(blocks) == {"a", "b", "c"}
    assert kept_blocks.root_blocks(root) is blocks
    assert kept_blocks.root_blocks(engine().get_template("root.html")) is not blocks  # parsed again: found again
