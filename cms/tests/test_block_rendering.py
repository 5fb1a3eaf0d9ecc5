"""``{% include_block %}`` rendered in the including context (cms.block_rendering) gives
what Wagtail's tag gives."""

import re
from io import StringIO
from unittest import mock

import pytest

from django.core.cache import cache
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings

from wagtail import blocks
from wagtail.templatetags.wagtailcore_tags import IncludeBlockNode

from cms import block_rendering
from cms.blocks import parent_context_unused

PROBE_TEMPLATES = {
    "probe/block.html": "[{{ value.text }}|{{ page_title }}|{{ extra }}|{% cycle 'a' 'b' %}|{{ shout }}]",
    "probe/raises.html": "{% cycle 'x' 'y' %}{{ boom }}",
}
LOCMEM_TEMPLATES = [
    {
        "BACKEND": "cms.template_backend.DjangoTemplates",
        "NAME": "django",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", PROBE_TEMPLATES)]},
    }
]


class ProbeBlock(blocks.StructBlock):
    text = blocks.CharBlock()

    seen_parents = []

    class Meta:
        template = "probe/block.html"

    def get_context(self, value, parent_context=None):
        ProbeBlock.seen_parents.append(dict(parent_context or {}))
        context = super().get_context(value, parent_context=parent_context)
        context["shout"] = value["text"].upper()
        return context


class MarkedProbeBlock(blocks.StructBlock):
    """Adds a name and reads nothing of the parent context: given none of it."""

    text = blocks.CharBlock()

    class Meta:
        template = "probe/block.html"

    @parent_context_unused
    def get_context(self, value, parent_context=None):
        ProbeBlock.seen_parents.append(dict(parent_context or {}))
        context = super().get_context(value, parent_context=parent_context)
        context["shout"] = value["text"].upper()
        return context


class UnmarkedSubclass(MarkedProbeBlock):
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["shout"] = (parent_context or {}).get("page_title", "?")
        return context


class OwnRenderBlock(ProbeBlock):
    def render(self, value, context=None):
        return f"own:{value['text']}"


class RaisingBlock(blocks.StructBlock):
    """Its template fails half-way through rendering."""

    text = blocks.CharBlock()

    class Meta:
        template = "probe/raises.html"

    @parent_context_unused
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["boom"] = RaisingBlock.explode
        return context

    @staticmethod
    def explode():
        raise RuntimeError("boom")


class ProbeStream(blocks.StreamBlock):
    probe = ProbeBlock()
    own = OwnRenderBlock()
    marked = MarkedProbeBlock()
    unmarked = UnmarkedSubclass()
    plain = blocks.CharBlock()  # no template: Wagtail's render_basic
    raises = RaisingBlock()


def stream(*children):
    return ProbeStream().to_python([{"type": kind, "value": value} for kind, value in children])


def both_ways(source, **values):
    """(this module's output, Wagtail's output) of ``source`` rendered with ``values``."""
    template = Template("{% load wagtailcore_tags %}" + source)
    ours = template.render(Context(values))
    with mock.patch.object(IncludeBlockNode, "render", block_rendering._wagtail_render):
        wagtails = template.render(Context(values))
    return ours, wagtails


@pytest.fixture
def probe_templates():
    ProbeBlock.seen_parents = []
    with override_settings(TEMPLATES=LOCMEM_TEMPLATES):
        yield


def test_installed():
    assert IncludeBlockNode.render is block_rendering.render


def test_block_template_sees_its_own_values_and_the_including_context(probe_templates):
    value = stream(("probe", {"text": "a<b"}), ("probe", {"text": "c"}))
    source = "{% for b in value %}{% include_block b %}{% endfor %}{{ shout|default:'gone' }}"
    ours, wagtails = both_ways(source, value=value, page_title="小巨人", extra="<i>")
    assert ours == wagtails
    # Escaped as ever, the loop's own names are gone afterwards, and each block's
    # {% cycle %} starts afresh as in Wagtail's separate rendering.
    assert ours == "[a&lt;b|小巨人|&lt;i&gt;|a|A&lt;B][c|小巨人|&lt;i&gt;|a|C]gone"


def test_get_context_is_given_the_flattened_including_context(probe_templates):
    value = stream(("probe", {"text": "x"}))
    template = Template("{% load wagtailcore_tags %}{% for b in value %}{% include_block b %}{% endfor %}")
    template.render(Context({"value": value, "page_title": "P"}))
    parent = ProbeBlock.seen_parents[-1]
    assert parent["page_title"] == "P"
    assert parent["value"] is value  # the loop's variable, as flatten() gives it
    assert "b" in parent


def test_a_get_context_marked_as_not_reading_the_parent_gets_none_of_it(probe_templates):
    value = stream(("marked", {"text": "m<"}), ("unmarked", {"text": "u"}), ("probe", {"text": "p"}))
    source = "{% for b in value %}{% include_block b %}{% endfor %}{{ shout|default:'gone' }}"
    ProbeBlock.seen_parents = []
    ours, wagtails = both_ways(source, value=value, page_title="小巨人", extra="<i>")
    assert (
        ours == wagtails == "[m&lt;|小巨人|&lt;i&gt;|a|M&lt;][u|小巨人|&lt;i&gt;|a|小巨人][p|小巨人|&lt;i&gt;|a|P]gone"
    )
    marked, unmarked, probe = ProbeBlock.seen_parents[:3]  # ours; then Wagtail's three
    assert marked == {}
    assert unmarked["page_title"] == probe["page_title"] == "小巨人"  # a subclass that reads it gets it
    assert block_rendering._needs_parent_context(ProbeBlock)
    assert block_rendering._needs_parent_context(UnmarkedSubclass)
    assert not block_rendering._needs_parent_context(MarkedProbeBlock)
    assert not block_rendering._needs_parent_context(blocks.StructBlock)


def test_blocks_with_a_template_take_the_short_path(probe_templates):
    value = stream(("probe", {"text": "x"}))
    template = Template("{% load wagtailcore_tags %}{% for b in value %}{% include_block b %}{% endfor %}")
    with mock.patch.object(blocks.Block, "render", autospec=True, side_effect=blocks.Block.render) as spy:
        assert template.render(Context({"value": value})) == "[x|||a|X]"
    assert spy.call_count == 0


def test_a_struct_value_itself(probe_templates):
    value = ProbeBlock().to_python({"text": "s"})
    ours, wagtails = both_ways("{% include_block value %}", value=value, page_title="T")
    assert ours == wagtails == "[s|T||a|S]"


@pytest.mark.parametrize(
    "source",
    [
        "{% for b in value %}{% include_block b with extra='w' %}{% endfor %}",
        "{% for b in value %}{% include_block b only %}{% endfor %}",
        "{% for b in value %}{% include_block b with extra='w' only %}{% endfor %}",
        "{% autoescape off %}{% for b in value %}{% include_block b %}{% endfor %}{% endautoescape %}",
        "{% load l10n %}{% localize off %}{% for b in value %}{% include_block b %}{% endfor %}{% endlocalize %}",
        "{% include_block missing %}",
        "{% include_block text %}",
        "{% autoescape off %}{% include_block text %}{% endautoescape %}",
        "{% include_block value %}",  # a whole stream: the stream block's own rendering
    ],
)
def test_everything_else_renders_as_wagtail_renders_it(probe_templates, source):
    value = stream(("probe", {"text": "<p>"}), ("own", {"text": "o"}), ("plain", "<b>plain</b>"))
    ours, wagtails = both_ways(source, value=value, page_title="T", extra="<e>", text="<u>")
    assert ours == wagtails


def test_blocks_with_their_own_render_or_no_template_keep_wagtails_way(probe_templates):
    value = stream(("own", {"text": "o"}), ("plain", "<b>plain</b>"))
    ours, wagtails = both_ways("{% for b in value %}{% include_block b %}{% endfor %}", value=value)
    assert ours == wagtails == "own:o&lt;b&gt;plain&lt;/b&gt;"


def test_the_including_context_is_left_as_it_was_when_a_block_fails(probe_templates):
    class Boom(Exception):
        pass

    value = stream(("probe", {"text": "x"}))
    context = Context({"value": value})
    depth = len(context.dicts)
    template = Template("{% load wagtailcore_tags %}{% for b in value %}{% include_block b %}{% endfor %}")
    with mock.patch.object(ProbeBlock, "get_context", side_effect=Boom), pytest.raises(Boom):
        template.render(context)
    assert len(context.dicts) == depth


def test_the_render_state_is_left_as_it_was_when_a_block_template_fails(probe_templates):
    value = stream(("probe", {"text": "x"}), ("raises", {"text": "r"}))
    seen = {}
    template = Template("{% load wagtailcore_tags %}{% for b in value %}{% include_block b %}{% endfor %}")
    original = block_rendering.render_bound

    def watched(block_template, context):
        seen["before"] = (context.render_context.template, len(context.render_context.dicts), len(context.dicts))
        try:
            return original(block_template, context)
        finally:
            seen["after"] = (context.render_context.template, len(context.render_context.dicts), len(context.dicts))

    context = Context({"value": value})
    with mock.patch.object(block_rendering, "render_bound", watched), pytest.raises(RuntimeError):
        template.render(context)
    assert seen["after"] == seen["before"]
    assert seen["before"][0] is template  # the including template's state, restored


def test_a_block_rendered_outside_any_template_is_bound_as_django_binds_it(probe_templates):
    """``IncludeBlockNode.render`` called with a context no template is rendering (as a
    tag's own code might): Django's ``Template.render`` binds the block's template."""
    value = stream(("probe", {"text": "x"}))
    node = Template("{% load wagtailcore_tags %}{% include_block b %}").nodelist[-1]
    context = Context({"b": value[0], "page_title": "T"})
    assert context.template is None
    depth = len(context.dicts)
    assert node.render(context) == "[x|T||a|X]"
    assert context.template is None and len(context.dicts) == depth


def cached_probe_templates(debug=False):
    loaders = [("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", PROBE_TEMPLATES)])]
    return [{**LOCMEM_TEMPLATES[0], "OPTIONS": {"loaders": loaders, "debug": debug}}]


def count_lookups(source, times, **values):
    """How many times the engine was asked for a template while ``source`` was rendered
    ``times`` times."""
    from django.template import engines

    engine = engines["django"].engine
    with mock.patch.object(engine, "get_template", side_effect=engine.get_template) as lookups:
        template = Template("{% load wagtailcore_tags %}" + source)
        for _ in range(times):
            template.render(Context(values))
    return lookups.call_count


def test_a_block_template_found_through_caching_loaders_is_kept_until_templates_change():
    value = stream(("probe", {"text": "k"}))
    source = "{% for b in value %}{% include_block b %}{% endfor %}"
    with override_settings(TEMPLATES=cached_probe_templates()):
        assert count_lookups(source, 3, value=value) == 1
        assert "probe/block.html" in block_rendering._TEMPLATES
    assert "probe/block.html" not in block_rendering._TEMPLATES  # TEMPLATES changed back


@pytest.mark.parametrize(
    "templates", [LOCMEM_TEMPLATES, cached_probe_templates(debug=True)], ids=["uncached", "debug"]
)
def test_a_block_template_is_looked_up_each_time_otherwise(templates):
    value = stream(("probe", {"text": "k"}))
    with override_settings(TEMPLATES=templates):
        assert count_lookups("{% for b in value %}{% include_block b %}{% endfor %}", 3, value=value) == 3
        assert "probe/block.html" not in block_rendering._TEMPLATES


NONCE = re.compile(r'nonce="[^"]*"')


@pytest.fixture
def demo(db):
    call_command("load_demo", "--skip-index", stdout=StringIO())


def test_demo_pages_with_streams_are_the_same_as_with_wagtails_tag(client, demo):
    for url in (
        "/policies/cq-little-giant-service-action-plan/",  # body clauses and support measures
        "/policies/cq-little-giant-action-plan-explained/",
        "/news/chengyu-uhd-video-agreement/",
        "/",  # statistics
        "/privacy/",
        "/collaboration/",  # headline figures
    ):
        spy = mock.patch.object(blocks.Block, "render", autospec=True, side_effect=blocks.Block.render)
        cache.clear()
        with spy as by_wagtail:
            ours = client.get(url)
            short_path_misses = by_wagtail.call_count
        cache.clear()
        with spy as by_wagtail, mock.patch.object(IncludeBlockNode, "render", block_rendering._wagtail_render):
            wagtails = client.get(url)
            assert by_wagtail.call_count > short_path_misses, url  # the page has blocks, rendered the short way
        assert ours.status_code == wagtails.status_code == 200, url
        assert NONCE.sub("", ours.content.decode()) == NONCE.sub("", wagtails.content.decode()), url
