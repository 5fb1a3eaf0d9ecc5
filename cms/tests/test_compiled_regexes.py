"""Django's lazy patterns are compiled at start-up (cms.compiled_regexes)."""

import re
import types

from django.template.defaultfilters import linebreaksbr
from django.utils import text
from django.utils.functional import SimpleLazyObject
from django.utils.regex_helper import _lazy_re_compile

from cms import compiled_regexes


def test_djangos_loaded_patterns_are_compiled_at_start_up():
    assert type(text.re_newlines) is re.Pattern
    from django.http import request, response

    assert type(request.host_validation_re) is re.Pattern
    assert type(response._charset_from_content_type_re) is re.Pattern
    # Nothing lazy left in the Django modules loaded now.
    assert compiled_regexes.install() >= 0
    for name, module in list(__import__("sys").modules.items()):
        if name.startswith("django.") and module is not None:
            assert not any(compiled_regexes._lazy_pattern(value) for value in vars(module).values()), name


def test_a_modules_lazy_patterns_become_the_patterns_they_stand_for():
    module = types.ModuleType("django.example")
    module.pattern = _lazy_re_compile(r"\r\n|\r", re.MULTILINE)
    module.used = _lazy_re_compile(r"[a-z]+")
    assert module.used.match("abc")  # already set up: the same pattern is kept
    module.other = SimpleLazyObject(lambda: "不是正则")
    module.plain = re.compile("x")
    assert compiled_regexes.compile_module(module) == 2
    assert module.pattern is re.compile(r"\r\n|\r", re.MULTILINE)
    assert module.used is re.compile(r"[a-z]+")
    assert type(module.other) is SimpleLazyObject and module.other == "不是正则"
    assert module.plain is re.compile("x")
    assert compiled_regexes.compile_module(module) == 0


def test_filters_using_them_print_the_same():
    assert linebreaksbr("第一行\r\n第二行\r第三行\n") == "第一行<br>第二行<br>第三行<br>"
    assert text.normalize_newlines("甲\r\n乙\r丙") == "甲\n乙\n丙"
