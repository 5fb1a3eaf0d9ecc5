import pytest

from search.normalise import canonical_document_number, fold, has_search_terms, normalise_query
from search.segmentation import Segmenter


@pytest.fixture(scope="module")
def segmenter():
    from search.segmentation import BUILTIN_SYNONYMS, DOMAIN_WORDS

    return Segmenter(words=DOMAIN_WORDS, synonyms=BUILTIN_SYNONYMS)


@pytest.mark.parametrize(
    "text,word",
    [
        ("超高清视频研发应用战略合作协议", "高清"),
        ("超高清视频研发应用战略合作协议", "超高清"),
        ("超高清视频研发应用战略合作协议", "视频"),
        ("重庆市专精特新小巨人企业服务行动方案", "小巨人"),
        ("重庆市专精特新小巨人企业服务行动方案", "专精特新"),
        ("重庆市专精特新小巨人企业服务行动方案", "重庆"),
        ("该平台依靠5G网络", "5g"),
        ("智能航行300TEU集装箱商船", "300teu"),
        ("“4K先行、兼顾8K”", "8k"),
    ],
)
def test_index_tokens_contain_words_inside_runs(segmenter, text, word):
    assert word in segmenter.index_tokens(text)


def test_index_tokens_include_every_han_character(segmenter):
    tokens = segmenter.index_tokens("跳磴镇")
    assert {"跳", "磴", "镇"} <= set(tokens)


@pytest.mark.parametrize(
    "query,terms",
    [
        ("小巨人", ["小巨人"]),
        ("专精特新小巨人", ["专精特新", "小巨人"]),
        ("重庆的小巨人", ["重庆", "小巨人"]),
        ("5G网络", ["5g", "网络"]),
        ("ＳＭＥ", ["sme"]),
        ("渝经信中小〔2020〕9号", ["渝经信", "中小", "2020", "9", "号"]),
        ("渝经信中小[2020]9号", ["渝经信", "中小", "2020", "9", "号"]),
        ("!!!", []),
    ],
)
def test_query_terms(segmenter, query, terms):
    assert segmenter.query_terms(query) == terms


def test_query_terms_always_in_index_of_containing_text(segmenter):
    text = "鲁渝科技协作信息服务平台的“专技服务”板块集成了农学、生物技术、农业信息等领域的知名农技专家信息"
    index = set(segmenter.index_tokens(text))
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 8) + 1):
            for term in segmenter.query_terms(text[start:end]):
                assert term in index, (text[start:end], term)


def test_prefix_terms_keep_unfinished_word(segmenter):
    assert segmenter.query_terms("重庆市专精", for_prefix=True)[-1] in {"专精", "专精特新"}
    assert segmenter.query_terms("小巨", for_prefix=True) == ["小巨"]


def test_synonyms_split(segmenter):
    pieces = segmenter.split_synonyms("市经信委负责人")
    assert pieces[0][0] == "市经信委"
    assert "重庆市经济和信息化委员会" in pieces[0][1]
    assert pieces[1] == ("负责人", None)


def test_latin_synonyms_match_whole_words_only(segmenter):
    assert segmenter.split_synonyms("email") == [("email", None)]
    assert segmenter.split_synonyms("ai辅助")[0] == ("ai", ["ai", "人工智能"])
    assert segmenter.split_synonyms("sme服务")[0][0] == "sme"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("渝经信中小［2020］9号", "渝经信中小[2020]9号"),
        ("渝经信中小（２０２０）９号", "渝经信中小(2020)9号"),
        ("  ＳＭＥ　　服务 ", "SME 服务"),
        ("「小巨人」", "「小巨人」"),
    ],
)
def test_normalise_query(raw, expected):
    assert normalise_query(raw) == expected


def test_document_number_variants_are_equal():
    variants = ["渝经信中小〔2020〕9号", "渝经信中小[2020]9号", "渝经信中小 (2020) 9号", "渝经信中小［２０２０］９号"]
    assert len({canonical_document_number(v) for v in variants}) == 1


@pytest.mark.parametrize("query", ["", "   ", "！！？", "，。、", "...", "〔〕", "——"])
def test_punctuation_only_has_no_terms(query):
    assert not has_search_terms(query)


def test_fold_lowercases_and_half_widths():
    assert fold("ＡＢＣ１２３") == "abc123"


@pytest.mark.parametrize("variant", ["〔2020〕", "[2020]", "［2020］", "(2020)", "（2020）", "【2020】", "﹝2020﹞"])
def test_fold_document_number_brackets(variant):
    assert fold(variant) == "〔2020〕"


def test_fold_quotes():
    assert fold("「小巨人」『专精特新』") == "“小巨人”‘专精特新’"


def test_normalise_caps_length():
    assert len(normalise_query("小" * 1000)) == 200


@pytest.mark.parametrize(
    "text",
    ["超高清视频研发应用战略合作协议", "重庆市专精特新小巨人企业服务行动方案", "鲁渝科技协作信息服务平台正式上线"],
)
def test_index_covers_search_and_full_mode(segmenter, text):
    index = set(segmenter.index_tokens(text))
    tokenizer = segmenter.tokenizer
    assert set(tokenizer.cut(text, cut_all=True)) <= index
    assert set(tokenizer.cut_for_search(text, HMM=False)) <= index


@pytest.mark.django_db
def test_dictionary_is_loaded_once_per_process_not_per_request(client, home_page, monkeypatch):
    import jieba

    from home.factories import StandardPageFactory
    from search import segmentation

    StandardPageFactory(parent=home_page, title="小巨人企业服务", slug="little-giant")
    loads = []
    original = jieba.Tokenizer.initialize

    def counting_initialize(self, *args, **kwargs):
        loads.append(self)
        return original(self, *args, **kwargs)

    # The real loader runs; it is only counted. A fresh process: nothing loaded yet.
    monkeypatch.setattr(jieba.Tokenizer, "initialize", counting_initialize)
    monkeypatch.setattr(segmentation, "_base_dictionary", None)
    segmentation.reset()
    for query in ("小巨人", "重庆 企业", "专精特新小巨人", "小巨人"):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
    first = segmentation.get_segmenter()
    assert client.get("/search/", {"q": "小巨人"}).status_code == 200
    assert len(loads) == 1
    assert segmentation.get_segmenter() is first
    assert "<mark>小巨人</mark>企业服务" in client.get("/search/", {"q": "小巨人"}).content.decode()
