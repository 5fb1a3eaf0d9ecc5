"""Highlighting helpers answer as their straightforward versions do (search.highlight)."""

import re
import sys

from search import highlight as hl


def test_every_character_re_calls_whitespace_is_whitespace_to_str_split():
    spaces = re.compile(r"\s")
    assert [i for i in range(sys.maxunicode + 1) if bool(spaces.fullmatch(chr(i))) != chr(i).isspace()] == []


def test_collapse_spaces_is_the_pattern_substitution():
    texts = [
        "",
        " ",
        "重庆\n\n日报",
        "\u3000\u3000川渝 超高清\t视频\xa0产业\r\n",
        "a\x1cb\x1d c\u2028d\u2029e",
        "  leading and trailing  ",
        "无空白",
    ]
    for text in texts:
        assert hl.collapse_spaces(text) == re.sub(r"\s+", " ", text).strip(), repr(text)


def test_one_pattern_per_list_of_terms():
    hl._compiled.cache_clear()
    terms = ["超高清", "视频"]
    first = hl._pattern(terms)
    assert hl._pattern(list(terms)) is first
    assert hl._pattern(["视频", "超高清"]) is not first  # the order is the caller's (longest first)
    assert hl._pattern([]) is None
    assert first.pattern == "超高清|视频" and first.flags & re.IGNORECASE
    assert hl._pattern(["a.b"]).pattern == re.escape("a.b")


def test_snippet_and_highlight_mark_terms_in_escaped_text():
    terms = ["小巨人", "企业"]
    text = "市级 <专精特新>\n\n“小巨人”企业   名单" + "。" * 300
    assert str(hl.highlight("<小巨人>", terms)) == "&lt;<mark>小巨人</mark>&gt;"
    snippet = str(hl.snippet(text, terms))
    assert snippet.startswith("市级 &lt;专精特新&gt; “<mark>小巨人</mark>”<mark>企业</mark> 名单")
    assert snippet.endswith("…")
