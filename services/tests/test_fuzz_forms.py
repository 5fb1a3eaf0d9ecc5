"""Property-based tests: hostile input to every public form answers 200/302/400/403/404/413/429,
never a 500, and a refused submission leaves no row and no file behind.

Each example starts from a valid submission and mutates one to three of its fields, or all of
them: a field is dropped, replaced by arbitrary text (unicode, control characters, null bytes, very long
strings, numbers as text), or sent several times (a list where a scalar is expected); unknown
fields are added and random files with made-up names and extensions are attached. The cache
is cleared before every example and the anti-spam timestamp is fresh, so the rate limits and
the minimum fill time never hide the validation path. Every example runs in a savepoint that
is rolled back; files an accepted submission wrote are removed after it.

Cases and statuses per form are printed (``-s``) and appended to test-artifacts/fuzz-figures.txt;
``FUZZ_EXAMPLES=50`` makes a quick local run.
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from cms.choices import ServiceCategory
from services.tests.collaboration.conftest import started_token as question_token
from services.tests.conftest import VALID_CODE, _started_token, service_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in CI
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALLOWED = {200, 302, 400, 403, 404, 413, 429}

DROP = object()
NASTY = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\x00" * 40,
    "\r\n\t\x0b\x0c\x1b[31m",
    "\u202eRTL\u202c",
    "\ufeff",
    "\u200b\u200d",
    "＜script＞alert(1)＜/script＞",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
    "%00%2e%2e%2f",
    "字" * 5000,
    "a" * 100_000,
    "𠀀𪚥🀄\U0010fffd",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-0",
    "9" * 40,
    "2026-02-30",
    "true",
    "None",
    "[]",
    "{}",
    "１３８１２３４５６７８",
    "FW2026-ＡＢＣＤＥＦ",
]
text = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8", min_codepoint=0, max_codepoint=0x2FFFF), max_size=80),
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def mutation():
    return st.one_of(
        st.just(DROP),
        text,
        st.lists(text, min_size=2, max_size=3),  # a list (a duplicated field) where one value is expected
    )


def mutated(base):
    """A strategy of ``base`` with some fields (one to three, or all of them) dropped, replaced or
    duplicated, plus unknown fields. Few changes reach the pipeline with odd but valid values; many
    changes at once hit every validator together."""
    names = sorted(base)
    chosen = st.one_of(st.sets(st.sampled_from(names), min_size=1, max_size=3), st.just(frozenset(names)))
    changes = st.fixed_dictionaries({name: mutation() for name in base})
    extra = st.dictionaries(st.text(min_size=1, max_size=12), text, max_size=2)

    def apply(drawn):
        fields, replacements, extra_fields = drawn
        data = {}
        for name, value in base.items():
            if name not in fields:
                data[name] = value
            elif replacements[name] is not DROP:
                data[name] = replacements[name]
        for name, value in extra_fields.items():
            data.setdefault(name, value)
        return data

    return st.tuples(chosen, changes, extra).map(apply)


FILE_NAMES = st.one_of(
    st.sampled_from(
        ["scan.pdf", "photo.PNG", "x.docx", "a.exe", "noext", ".pdf", "营业执照.pdf", "a" * 300 + ".pdf", "x.pdf.exe"]
    ),
    st.text(min_size=1, max_size=40).map(lambda name: name.replace("/", "_").replace("\\", "_") + ".pdf"),
)
FILE_BODIES = st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=512).map(lambda body: b"%PDF-1.4\n" + body),
    st.binary(max_size=512).map(lambda body: b"\x89PNG\r\n\x1a\n" + body),
    st.binary(max_size=512).map(lambda body: b"MZ\x90\x00" + body),
    st.just(b""),
)
uploads = st.lists(st.builds(lambda name, body: SimpleUploadedFile(name, body), FILE_NAMES, FILE_BODIES), max_size=7)


# ---------------------------------------------------------------------------
# What a submission must not leave behind.


def stored_files():
    found = set()
    for root in (django_settings.MEDIA_ROOT, django_settings.PRIVATE_MEDIA_ROOT):
        for path in Path(root).rglob("*"):
            if path.is_file():
                found.add(path)
    return found


def row_counts():
    from search.models import SearchTerm
    from services.models import ExpertQuestion, RequestAttachment, RequestEvent, ServiceRequest

    return {
        model.__name__: model.objects.count()
        for model in (ServiceRequest, RequestAttachment, RequestEvent, ExpertQuestion, SearchTerm)
    }


class Tally:
    """Counts examples and responses per form; printed with ``-s`` for the figures in the report."""

    def __init__(self, name):
        self.name, self.cases, self.statuses = name, 0, {}

    def add(self, status):
        self.cases += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def report(self):
        line = f"FUZZ {self.name}: {self.cases} cases, statuses {dict(sorted(self.statuses.items()))}"
        print("\n" + line)
        # xdist workers' output is not shown: the figures also go to a file for the CI log.
        figures = Path(django_settings.BASE_DIR) / "test-artifacts" / "fuzz-figures.txt"
        figures.parent.mkdir(exist_ok=True)
        with figures.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


def exercise(tally, send, accepted=(302,)):
    """Send one request in a rolled-back savepoint; check the status and what was left behind."""
    cache.clear()  # rate-limit counters: every example reaches validation
    files_before, rows_before = stored_files(), row_counts()
    with transaction.atomic():
        response = send()
        status = response.status_code
        rows_after = row_counts()
        transaction.set_rollback(True)
    new_files = stored_files() - files_before
    tally.add(status)
    assert status in ALLOWED, status
    if status not in accepted:
        assert rows_after == rows_before, (status, rows_before, rows_after)
        assert not new_files, (status, new_files)
    for path in new_files:  # an accepted submission's files, whose rows were just rolled back
        path.unlink()
    return response


@pytest.fixture
def fast_forms(settings):
    settings.SERVICES_MIN_FILL_SECONDS = 0


@pytest.fixture
def tally(request):
    counter = Tally(request.node.name)
    yield counter
    counter.report()
    assert counter.cases >= EXAMPLES  # hypothesis really ran the number of examples asked for


# ---------------------------------------------------------------------------
# The five service forms.


def service_base(category, district):
    # "started" is filled per example: the token carries the time.
    return service_form_data(district, category)


@pytest.mark.parametrize("category", [category.value for category in ServiceCategory])
def test_service_forms(category, service_pages, district, fast_forms, tally):
    client = Client()
    url = service_pages[category].url

    @FUZZ
    @given(data=mutated(service_base(category, district)), files=uploads)
    def run(data, files):
        if data.get("started") == "":
            data["started"] = _started_token()
        if files:
            data["attachments"] = files
        exercise(tally, lambda: client.post(url, data))

    run()


# ---------------------------------------------------------------------------
# Tracking and rating.


def test_tracking_form(service_pages, district, fast_forms, tally):
    from services import pipeline

    service_request = pipeline.create_request(
        "talent",
        {
            "company_name": "示例企业",
            "credit_code": VALID_CODE,
            "tier": "municipal",
            "industry": "制造",
            "employees": 3,
            "contact_name": "张三",
            "phone": "13812345678",
            "description": "需求",
        },
        {"mode": "both", "skills_or_positions": "运维", "headcount": 2},
        notify=False,
    )
    service_request.status = "completed"
    service_request.save()
    client = Client()
    url = service_pages["index"].url + "track/"
    base = {"reference": service_request.reference, "phone": "13812345678", "action": "", "rating": "5", "comment": ""}

    @FUZZ
    @given(data=mutated(base), rate=st.booleans())
    def run(data, rate):
        if rate:
            data["action"] = "rate"
        # A rating is a legitimate change to an existing row, not a new one: counts stay the same.
        exercise(tally, lambda: client.post(url, data))

    run()


# ---------------------------------------------------------------------------
# The expert's 留言 and 在线咨询 forms.


@pytest.fixture
def expert(site_tree):
    from services.factories import ExpertIndexPageFactory, ExpertPageFactory

    index = ExpertIndexPageFactory(parent=site_tree["home"])
    return ExpertPageFactory(parent=index, title="示例专家 模糊测试", slug="fuzz-expert")


def test_expert_question_form(expert, fast_forms, tally):
    client = Client()
    url = expert.url + "ask/"
    base = {
        "name": "王五",
        "contact": "13800000000",
        "question": "高山蔬菜的病虫害应该怎么防治？",
        "consent_to_publish": "on",
        "website": "",
        "started": "",
    }

    @FUZZ
    @given(data=mutated(base))
    def run(data):
        if data.get("started") == "":
            data["started"] = question_token()
        exercise(tally, lambda: client.post(url, data))

    run()


def test_consultation_form(expert, service_pages, fast_forms, tally):
    client = Client()
    url = expert.url + "consult/"
    base = {
        "contact_name": "赵六",
        "phone": "023-63897000",
        "email": "",
        "company_name": "示例合作社",
        "topic": "病虫害",
        "description": "想咨询高山蔬菜的病虫害防治。",
        "consent": "on",
        "website": "",
        "started": "",
    }

    @FUZZ
    @given(data=mutated(base))
    def run(data):
        if data.get("started") == "":
            data["started"] = _started_token()
        exercise(tally, lambda: client.post(url, data))

    run()


# ---------------------------------------------------------------------------
# Forms answered on GET: search, the policy library's filters, the matcher, news filters.


GET_FORMS = {
    "search": ("/search/", {"q": "小巨人", "type": "policy", "sort": "date", "page": "1"}),
    "policy_library": (
        "/policies/",
        {
            "q": "融资",
            "issuer": "cq-economy-it-commission",
            "topic": "specialised-smes",
            "doc_type": "notice",
            "year": "2021",
            "status": "in_force",
            "tier": "municipal",
            "sort": "relevance",
            "page": "2",
        },
    ),
    "policy_matcher": (
        "/policies/match/",
        {"tier": "national", "region": "jiangbei", "industry": "manufacturing", "needs": "financing"},
    ),
    "news_index": ("/news/", {"topic": "sme-services", "region": "jiangbei", "page": "2"}),
}


@pytest.mark.parametrize("form", list(GET_FORMS))
def test_get_forms(form, site_tree, district, tally):
    from cms.factories import TopicFactory

    TopicFactory(name="中小企业服务", slug="sme-services")
    client = Client()
    url, base = GET_FORMS[form]

    @FUZZ
    @given(data=mutated(base))
    def run(data):
        # The search log (wagtail's Query) may grow; nothing else may.
        exercise(tally, lambda: client.get(url, data), accepted=())

    run()
