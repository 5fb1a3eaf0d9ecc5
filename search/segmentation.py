"""Chinese word segmentation shared by the index and the query side.

Index side (``index_text``): for every run of Han characters we emit every
dictionary word at every position (jieba's full mode, read from one DAG, so
``高清`` inside ``超高清`` is there; it contains every word jieba's search mode
gives without HMM) and each Han character on its own. Runs of letters and
digits (``5G``, ``300TEU``) are one token each. Everything is folded first
(``normalise.fold``): half-width, lower case, one bracket style.

Query side (``query_terms``): jieba's precise mode without HMM, so a query
term is always a dictionary word or a single character. Both are guaranteed
to be in the index of any text that contains the query as a substring, which
is what makes ``小巨人`` find ``重庆市专精特新小巨人企业服务行动方案`` and a
name jieba does not know (``马振轩``) find its story.

The jieba dictionary is loaded once per process, lazily, together with the
built-in domain words and the editors' words and synonyms from the database;
``reload()`` rebuilds it after an editor changes them.
"""

import logging
import re
import threading
import time

import jieba

from django.conf import settings
from django.core.cache import cache

from .normalise import fold

logger = logging.getLogger(__name__)

# Unified ideographs (basic, extension A, compatibility) and extension B+.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")

# Words the stock jieba dictionary lacks or splits badly; editors add more as snippets.
DOMAIN_WORDS = (
    "专精特新",
    "小巨人",
    "超高清",
    "成渝",
    "川渝",
    "鲁渝",
    "渝经信",
    "经信委",
    "市经信委",
    "智能网联",
    "双城经济圈",
    "成渝地区双城经济圈",
    "中小企业",
    "两江协同创新区",
    "两江新区",
    "专技服务",
    "在线咨询",
    "工业设计",
    "产品检测",
    "融资服务",
    "技术创新",
    "人才培训",
    "乡村振兴",
    "脱贫攻坚",
    "示范基地",
    "智能航行",
    "集装箱商船",
    "医疗智能影像云平台",
    "影像云平台",
    "物联网",
    "人工智能",
    "机器人",
    "区长奖",
    "高峰论坛",
    "统一社会信用代码",
    "文号",
)

# Synonym groups that hold everywhere; editors add more as snippets.
BUILTIN_SYNONYMS = (
    ("市经信委", "重庆市经济和信息化委员会", "重庆市经信委"),
    ("中小企业", "sme", "中小微企业"),
    ("人工智能", "ai"),
    ("成渝", "川渝"),
)

# Query words that carry no meaning once other words are present.
_QUERY_STOPWORDS = frozenset(["的", "了", "和", "与", "及", "或", "在", "是", "等", "之", "其", "对", "把", "被"])

RECHECK_SECONDS = 5
CACHE_KEY = "site_search:dictionary-version"


_base_lock = threading.Lock()
_base_dictionary = None


def _base_frequencies():
    """jieba's own dictionary, read once per process (about a second).

    Rebuilding after an editor's change copies it (tens of milliseconds)
    instead of reading it again. ``FREQ``/``total``/``initialized`` are
    jieba 0.42.1 internals, pinned and covered by test_backend_internals.
    """
    global _base_dictionary
    with _base_lock:
        if _base_dictionary is None:
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.tmp_dir = getattr(settings, "JIEBA_CACHE_DIR", None)
            tokenizer.initialize()
            _base_dictionary = (tokenizer.FREQ, tokenizer.total)
        return _base_dictionary


def _new_tokenizer():
    freq, total = _base_frequencies()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(freq)
    tokenizer.total = total
    tokenizer.initialized = True
    return tokenizer


def _synonym_regex(term):
    # Latin terms match whole words only: "ai" must not fire inside "email".
    pattern = re.escape(term)
    if term[:1].isascii() and term[:1].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if term[-1:].isascii() and term[-1:].isalnum():
        pattern += r"(?![a-z0-9])"
    return pattern


class Segmenter:
    """A jieba tokenizer plus the project's words and synonyms."""

    def __init__(self, words=(), synonyms=()):
        self.tokenizer = _new_tokenizer()
        self.synonyms = {}
        for group in synonyms:
            folded = tuple(dict.fromkeys(fold(term).strip() for term in group if term.strip()))
            for term in folded:
                self.synonyms.setdefault(term, set()).update(folded)
        # Synonyms are matched on the query text, not added as words: adding them would
        # change how existing content is segmented and need a re-index.
        for word in words:
            for run in _RUN.finditer(fold(word)):
                if run.group(1) and len(run.group(1)) > 1:
                    self.tokenizer.add_word(run.group(1))
        # Longest first so 重庆市经信委 wins over 市经信委 when both match.
        self._synonym_pattern = (
            re.compile("|".join(_synonym_regex(t) for t in sorted(self.synonyms, key=len, reverse=True)))
            if self.synonyms
            else None
        )

    # Index side -----------------------------------------------------------
    def index_tokens(self, text):
        tokens = []
        for han, other in _RUN.findall(fold(text)):
            if other:
                tokens.append(other)
                continue
            if len(han) > 1:
                # jieba's full mode from one DAG: every dictionary word at every position.
                # Search mode (without HMM) only yields words that are in this set too;
                # HMM-guessed words are left out because no query can produce them.
                for start, ends in self.tokenizer.get_DAG(han).items():
                    tokens.extend(han[start : end + 1] for end in ends if end > start)
            tokens.extend(han)
        return tokens

    def index_text(self, text):
        return " ".join(self.index_tokens(text))

    # Query side -----------------------------------------------------------
    def query_terms(self, text, for_prefix=False):
        """Terms to AND together. With ``for_prefix`` the trailing single Han
        characters stay one term, because the user is still typing that word."""
        terms = []
        for han, other in _RUN.findall(fold(text)):
            if other:
                terms.append(other)
            else:
                terms.extend(self.tokenizer.cut(han, HMM=False))
        if for_prefix and terms:
            tail = []
            while terms and len(terms[-1]) == 1 and _RUN.fullmatch(terms[-1]).group(1):
                tail.insert(0, terms.pop())
            if tail:
                terms.append("".join(tail))
        meaningful = [t for t in terms if t not in _QUERY_STOPWORDS]
        return meaningful or terms

    def split_synonyms(self, text):
        """Split folded text into ``(piece, alternatives)`` where alternatives
        is None for plain text and the synonym group for a matched term."""
        text = fold(text)
        if self._synonym_pattern is None:
            return [(text, None)]
        pieces, position = [], 0
        for match in self._synonym_pattern.finditer(text):
            if match.start() > position:
                pieces.append((text[position : match.start()], None))
            term = match.group(0)
            alternatives = [term, *sorted(self.synonyms[term] - {term})]
            pieces.append((term, alternatives))
            position = match.end()
        if position < len(text):
            pieces.append((text[position:], None))
        return pieces


_lock = threading.Lock()
_segmenter = None
_version = None
_checked_at = 0.0


def _load_editor_terms():
    """Words and synonym groups editors keep as snippets; empty before migrate."""
    from django.db import DatabaseError, connections, router

    from .models import SearchSynonym, SearchTerm

    alias = router.db_for_read(SearchTerm)
    connection = connections[alias]
    try:
        tables = set(connection.introspection.table_names())
        if SearchTerm._meta.db_table not in tables or SearchSynonym._meta.db_table not in tables:
            return [], []
        words = list(SearchTerm.objects.using(alias).values_list("word", flat=True))
        groups = [s.term_list() for s in SearchSynonym.objects.using(alias).all()]
    except (DatabaseError, RuntimeError):
        # RuntimeError: pytest-django forbids the query outside database tests.
        logger.warning("search dictionary: editor terms unavailable, using built-ins only")
        return [], []
    return words, groups


def build_segmenter():
    words, groups = _load_editor_terms()
    return Segmenter(words=(*DOMAIN_WORDS, *words), synonyms=(*BUILTIN_SYNONYMS, *groups))


def get_segmenter():
    """The process-wide segmenter; rebuilt when another process bumped the version."""
    global _segmenter, _version, _checked_at
    now = time.monotonic()
    if _segmenter is not None and now - _checked_at < RECHECK_SECONDS:
        return _segmenter
    with _lock:
        current = cache.get(CACHE_KEY, 0)
        if _segmenter is None or current != _version:
            _segmenter = build_segmenter()
            _version = current
        _checked_at = now
        return _segmenter


def reload():
    """Rebuild now in this process and tell other processes to rebuild too."""
    global _segmenter, _version, _checked_at
    with _lock:
        try:
            version = cache.incr(CACHE_KEY)
        except ValueError:
            version = 1
            cache.set(CACHE_KEY, version, None)
        _segmenter = build_segmenter()
        _version = version
        _checked_at = time.monotonic()
    return _segmenter


def reset():
    """Forget the segmenter; the next use rebuilds it (tests)."""
    global _segmenter
    with _lock:
        _segmenter = None


def index_text(text):
    return get_segmenter().index_text(text)


def query_terms(text, for_prefix=False):
    return get_segmenter().query_terms(text, for_prefix=for_prefix)
