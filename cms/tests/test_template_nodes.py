"""Variable lookups and node lists (cms.template_nodes) answer as Django's own do."""

from io import StringIO

import pytest

from django.core.management import call_command
from django.template import Context, Engine, RequestContext, TemplateSyntaxError
from django.template.base import FilterExpression, NodeList, Parser, Variable, VariableDoesNotExist
from django.test import RequestFactory

from cms import template_nodes


class Page:
    title = "标题"
    count = 3

    def method(self):
        return "调用"

    def needs_argument(self, value):
        return value

    def delete(self):
        raise AssertionError("never called from a template")

    delete.alters_data = True

    @property
    def broken(self):
        raise AttributeError("inside the property")

    @property
    def broken_type(self):
        raise TypeError("inside the property")


class Silent(Exception):
    silent_variable_failure = True


class Loud(Exception):
    pass


class Items:
    """Keys that raise other errors than KeyError."""

    def __getitem__(self, key):
        if key == "value":
            raise ValueError
        if key == "silent":
            raise Silent
        if key == "loud":
            raise Loud
        raise IndexError

    attribute = "属性"


class Callable:
    do_not_call_in_templates = True
    label = "不调用"

    def __call__(self):
        raise AssertionError("never called")


def raises_silently():
    raise Silent


def raises_type_error():
    raise TypeError("inside")


CONTEXT = {
    "page": Page(),
    "pages": [Page(), Page()],
    "mapping": {"title": "键", "items": ["甲", "乙"], "0": "零"},
    "items": Items(),
    "callable": Callable(),
    "silently": raises_silently,
    "type_error": raises_type_error,
    "numbers": (1, 2, 3),
    "nothing": None,
    "text": "文本",
    "Page": Page,
}
LOOKUPS = [
    "page.title",
    "page.count",
    "page.method",
    "page.needs_argument",
    "page.delete",
    "page.missing",
    "page.broken",
    "page.broken_type",
    "pages.0.title",
    "pages.5",
    "pages.first",
    "mapping.title",
    "mapping.items",
    "mapping.items.1",
    "mapping.0",
    "mapping.missing",
    "items.value",
    "items.silent",
    "items.loud",
    "items.attribute",
    "items.other",
    "callable.label",
    "silently",
    "type_error",
    "numbers.2",
    "numbers.count",
    "nothing.title",
    "text.upper",
    "text.0",
    "Page.title",
    "dicts",  # an attribute of Context itself: never looked up
    "push",
    "absent",
]


def outcome(function, lookup, context):
    try:
        return "value", function(Variable(lookup), context)
    except Exception as error:
        return "error", type(error)


@pytest.mark.parametrize("string_if_invalid", ["", "INVALID"])
def test_lookups_answer_as_djangos(string_if_invalid):
    engine = Engine(string_if_invalid=string_if_invalid)
    template = engine.from_string("")
    for lookup in LOOKUPS:
        context = Context(CONTEXT)
        with context.bind_template(template):
            ours = outcome(template_nodes.resolve_lookup, lookup, context)
            django = outcome(template_nodes._django_resolve_lookup, lookup, context)
        assert ours == django, lookup


class KeyedContext(Context):
    """A context that finds names its own way: its layers are not searched directly."""

    def __getitem__(self, key):
        if key == "special":
            return "特别"
        return super().__getitem__(key)


def contexts():
    """The same names in a plain context, a request context, one with a layer pushed over
    the first (shadowing a name) and one whose class finds names itself."""
    yield Context(CONTEXT)
    yield RequestContext(RequestFactory().get("/"), CONTEXT)
    layered = Context({**CONTEXT, "text": "底层"})
    layered.push({"text": CONTEXT["text"]})
    yield layered
    yield KeyedContext(CONTEXT)


@pytest.mark.parametrize("string_if_invalid", ["", "INVALID"])
def test_lookups_answer_as_djangos_in_every_kind_of_context(string_if_invalid):
    engine = Engine(string_if_invalid=string_if_invalid)
    template = engine.from_string("")
    for context in contexts():
        for lookup in [*LOOKUPS, "special", "special.upper"]:
            with context.bind_template(template):
                ours = outcome(template_nodes.resolve_lookup, lookup, context)
                django = outcome(template_nodes._django_resolve_lookup, lookup, context)
            assert ours == django, (type(context).__name__, lookup)
    assert Variable("special").resolve(KeyedContext(CONTEXT)) == "特别"
    layered = Context({"text": "底层"})
    layered.push({"text": "上层"})
    assert Variable("text").resolve(layered) == "上层"


def test_classes_made_at_run_time_do_not_accumulate():
    # Whether a class has keys is kept per class; form classes made per request must not
    # pile up there.
    template = Engine().from_string("{{ item.name }}")
    for number in range(template_nodes.MAX_KEYED + 50):
        kind = type(f"Made{number}", (), {"name": str(number)})
        assert template.render(Context({"item": kind()})) == str(number)
        assert len(template_nodes._KEYED) <= template_nodes.MAX_KEYED
    keyed = type("Keyed", (), {"__getitem__": lambda self, key: "键", "name": "属性"})
    assert template.render(Context({"item": keyed()})) == "键"


EXPRESSIONS = [
    "page.title",
    "page.missing",
    "page.broken",
    "items.silent",
    "items.loud",
    "absent",
    "text|upper",
    "absent|default:'无'",
    "page.missing|default:page.title",
    '"字面"',
    "3",
    '_("January")',
    "numbers.2",
]


@pytest.mark.parametrize("string_if_invalid", ["", "INVALID", "缺少 %s"])
def test_expressions_resolve_as_djangos(string_if_invalid):
    engine = Engine(string_if_invalid=string_if_invalid)
    template = engine.from_string("")
    parser = Parser("", builtins=engine.template_builtins)
    for source in EXPRESSIONS:
        expression = FilterExpression(source, parser)
        for ignore_failures in (False, True):
            for context in contexts():
                with context.bind_template(template):
                    results = []
                    for resolve in (template_nodes.resolve_expression, template_nodes._django_resolve_expression):
                        try:
                            results.append(("value", str(resolve(expression, context, ignore_failures))))
                        except Exception as error:
                            results.append(("error", type(error)))
                assert results[0] == results[1], (source, ignore_failures, type(context).__name__)


def test_missing_and_failing_values_render_as_djangos():
    source = "[{{ page.missing }}|{{ items.silent }}|{{ page.method }}|{{ mapping.items.0 }}|{% if page.missing %}x{% endif %}]"
    context = {"page": Page(), "items": Items(), "mapping": CONTEXT["mapping"]}
    assert Engine().from_string(source).render(Context(context)) == "[||调用|甲|]"
    assert Engine(string_if_invalid="?").from_string(source).render(Context(context)) == "[?|?|调用|甲|]"
    with pytest.raises(AttributeError, match="inside the property"):
        Engine().from_string("{{ page.broken }}").render(Context(context))
    with pytest.raises(VariableDoesNotExist):
        Variable("page.missing").resolve(Context(context))


def test_installed():
    assert Variable._resolve_lookup is template_nodes.resolve_lookup
    assert NodeList.render is template_nodes.render_nodes
    assert FilterExpression.resolve is template_nodes.resolve_expression


def test_node_lists_render_the_same_with_debug_on_and_off():
    source = "{% for page in pages %}{% if forloop.first %}<b>{{ page.title }}</b>{% else %}{{ page.count }}{% endif %}{% endfor %}"
    outputs = {debug: Engine(debug=debug).from_string(source).render(Context(CONTEXT)) for debug in (True, False)}
    assert outputs[True] == outputs[False] == "<b>标题</b>3"


def test_errors_point_at_their_line_in_debug_mode_only():
    source = "第一行\n{{ items.loud }}\n"
    with pytest.raises(Loud) as raised:
        Engine(debug=True).from_string(source).render(Context(CONTEXT))
    assert raised.value.template_debug["line"] == 2
    with pytest.raises(Loud) as raised:
        Engine(debug=False).from_string(source).render(Context(CONTEXT))
    assert not hasattr(raised.value, "template_debug")
    with pytest.raises(TemplateSyntaxError):
        Engine().from_string("{{ page._private }}")


@pytest.mark.django_db
def test_demo_pages_render_as_with_djangos_lookups(client, monkeypatch):
    call_command("load_demo", "--skip-index", stdout=StringIO())
    urls = ("/policies/cq-little-giant-service-action-plan/", "/news/chengyu-uhd-video-agreement/", "/", "/services/")
    from django.core.cache import cache

    def pages():
        cache.clear()
        responses = [client.get(url) for url in urls]
        assert [response.status_code for response in responses] == [200] * len(urls)
        return [strip_nonces(response.content.decode()) for response in responses]

    ours = pages()
    monkeypatch.setattr(Variable, "_resolve_lookup", template_nodes._django_resolve_lookup)
    monkeypatch.setattr(NodeList, "render", template_nodes._django_render_nodes)
    monkeypatch.setattr(FilterExpression, "resolve", template_nodes._django_resolve_expression)
    assert pages() == ours


def strip_nonces(html):
    import re

    return re.sub(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", html)
