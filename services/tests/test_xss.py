"""Output encoding: XSS payloads typed into every public form and every editor field render inert.

Each payload carries ``alert(1)``. A page is safe when, parsed as HTML, no element has an
``on*`` attribute or a ``javascript:`` URL built from a payload, no <script>/<style> holds one,
and no payload with markup characters appears verbatim. Spreadsheet exports keep the text
and prefix every cell a spreadsheet would run as a formula.

``XSS_FIGURES`` counts payloads x places, printed with ``-s`` for the report.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser

import openpyxl
import pytest

from django.test import Client
from django.utils.text import slugify

from services.tests.collaboration.conftest import started_token as question_token
from services.tests.conftest import DETAILS, VALID_CODE, _started_token

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus='",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "＜script＞alert(1)＜/script＞",
    "\u202e<script>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "{{ 7|add:42 }}{% debug %}alert(1)",
    '<iframe src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<a href=jav&#x09;ascript:alert(1)>x</a>",
    "</script><script>alert(1)</script>",
    "<style>*{x:expression(alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '=HYPERLINK("javascript:alert(1)")',
    "@SUM(1+1)*alert(1)",
]
MARKUP = re.compile(r"[<>]")  # quotes alone are harmless in text; in attributes the DOM check sees them
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster"}
FIGURES = {}


@pytest.fixture(scope="module", autouse=True)
def _print_figures():
    yield
    total = sum(FIGURES.values())
    print(f"\nXSS {len(PAYLOADS)} payloads; {total} payload renderings across {len(FIGURES)} places")
    for place, number in FIGURES.items():
        print(f"XSS   {place}: {number}")


def count(place, payloads=PAYLOADS):
    FIGURES[place] = FIGURES.get(place, 0) + len(payloads)


class DomCheck(HTMLParser):
    """Collects what would run in a browser: event handlers, script URLs, script and style text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._raw = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            squashed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on") and "alert(" in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and (
                squashed.startswith("javascript:") or ("alert(" in squashed and name == "srcdoc")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "style"):
            kind = dict(attrs).get("type") or ""
            self._raw = "json" if tag == "script" and "json" in kind else tag

    def handle_endtag(self, tag):
        if self._raw and tag in ("script", "style"):
            self._raw = None

    def handle_data(self, data):
        if self._raw == "json":
            # Data, not code (JSON-LD, json_script): safe while no markup can end the element early.
            if "<" in data:
                self.problems.append(f"<script json> {data[:80]!r}")
        elif self._raw and "alert(" in data:
            self.problems.append(f"<{self._raw}> {data[:80]!r}")


def assert_inert(html, where):
    checker = DomCheck()
    checker.feed(html)
    checker.close()
    assert not checker.problems, (where, checker.problems)
    verbatim = [payload for payload in PAYLOADS if MARKUP.search(payload) and payload in html]
    assert not verbatim, (where, verbatim)
    assert "{% debug %}" not in html or "sql_queries" not in html, where  # the template tag was never run


def page(client, url, where, method="get", data=None, expect=(200,)):
    response = getattr(client, method)(url, data or {})
    assert response.status_code in expect, (where, response.status_code)
    html = response.content.decode()
    assert_inert(html, where)
    return html


# ---------------------------------------------------------------------------
# Public forms: what a visitor typed comes back escaped when the form is shown again.


@pytest.fixture
def expert(site_tree):
    from services.factories import ExpertIndexPageFactory, ExpertPageFactory

    index = ExpertIndexPageFactory(parent=site_tree["home"])
    return ExpertPageFactory(parent=index, title="示例专家 注入测试", slug="xss-expert")


@pytest.fixture
def everything(site_tree, service_pages, district, expert, settings):
    settings.SERVICES_MIN_FILL_SECONDS = 0
    return {"site": site_tree, "services": service_pages, "district": district, "expert": expert}


def test_public_forms_echo_payloads_escaped(everything):
    from django.core.cache import cache

    services, expert = everything["services"], everything["expert"]
    client = Client()
    for payload in PAYLOADS:
        cache.clear()
        for category in DETAILS:
            data = {
                "company_name": payload,
                "credit_code": payload,
                "tier": "municipal",
                "region": str(everything["district"].pk),
                "industry": payload,
                "employees": payload,
                "contact_name": payload,
                "phone": payload,  # invalid: the form comes back with everything typed
                "email": payload,
                "description": payload,
                "consent": "on",
                "started": _started_token(),
                **{f"detail-{name}": payload for name in DETAILS[category]},
            }
            page(client, services[category].url, f"service form {category}", "post", data, expect=(400,))
        page(
            client,
            services["index"].url + "track/",
            "tracking",
            "post",
            {"reference": payload, "phone": payload},
            expect=(200, 400, 404),
        )
        page(
            client,
            expert.url + "ask/",
            "留言 form",
            "post",
            {"name": payload, "contact": payload, "question": payload, "started": question_token()},
            expect=(400,),
        )
        page(
            client,
            expert.url + "consult/",
            "consultation form",
            "post",
            {"contact_name": payload, "phone": payload, "topic": payload, "description": payload, "consent": "on"},
            expect=(400,),
        )
        # NULs in a query string are dropped before any view runs (RejectNulBytesMiddleware).
        get_ok = (200,)
        page(
            client,
            "/search/",
            "search",
            data={"q": payload, "type": payload, "sort": payload, "page": payload},
            expect=get_ok,
        )
        page(
            client,
            "/policies/",
            "policy library",
            data={"q": payload, "issuer": payload, "year": payload},
            expect=get_ok,
        )
        page(
            client,
            "/policies/match/",
            "policy matcher",
            data={"tier": payload, "region": payload, "needs": payload},
            expect=get_ok,
        )
        page(client, "/news/", "news filters", data={"topic": payload, "page": payload}, expect=(*get_ok, 404))
    for place in ("5 service forms", "tracking", "留言 form", "consultation form", "search", "library", "matcher"):
        count(f"public form: {place}", PAYLOADS * (5 if place.startswith("5") else 1))
    count("public form: news filters")


# ---------------------------------------------------------------------------
# Stored and shown again: requests, notes, questions, consultations, and exports.


@pytest.fixture
def staff(everything, superuser):
    client = Client()
    client.force_login(superuser)
    return client


def storable(payload):
    """The payload as the database can hold it: PostgreSQL text cannot contain NUL, and every
    form refuses NUL before anything is stored, so direct saves drop it (SQLite keeps parity)."""
    return payload.replace("\x00", "")


def fit(name, payload):
    """The payload cut to the model field's length, as the form would have required."""
    from services.models import ServiceRequest

    return payload[: ServiceRequest._meta.get_field(name).max_length]


def _request_with(payload, number):
    from services import pipeline

    payload = storable(payload)
    service_request = pipeline.create_request(
        "talent",
        {
            "company_name": fit("company_name", payload),
            "credit_code": VALID_CODE,
            "tier": "municipal",
            "industry": fit("industry", payload),
            "employees": 5,
            "contact_name": fit("contact_name", payload),
            "phone": "13812345678",
            "email": f"x{number}@example.org",
            "description": payload,
        },
        {"mode": "both", "skills_or_positions": payload, "headcount": 2},
        notify=False,
    )
    return service_request


def _submit(client, url, data):
    """POST a public form; the saved request, or None when the form refused the input."""
    from services.models import ServiceRequest

    response = client.post(url, data)
    if response.status_code != 302:
        return None
    return ServiceRequest.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_stored_requests_render_inert_for_staff_and_the_public(everything, staff, superuser):
    from django.core.cache import cache

    from services.consultation import CONSULTATION

    services, expert = everything["services"], everything["expert"]
    through_forms = 0
    for number, payload in enumerate(PAYLOADS):
        cache.clear()
        sme = Client()
        service_request = _submit(
            sme,
            services["design"].url,
            {
                "company_name": payload,
                "credit_code": VALID_CODE,
                "tier": "municipal",
                "region": str(everything["district"].pk),
                "industry": fit("industry", payload),
                "employees": "12",
                "contact_name": fit("contact_name", payload),
                "phone": "13812345678",
                "description": payload,
                "consent": "on",
                "started": _started_token(),
                **{f"detail-{name}": value for name, value in DETAILS["design"].items()},
                "detail-product": payload,
                "detail-deliverables": payload,
            },
        )
        consultation = _submit(
            sme,
            expert.url + "consult/",
            {
                "contact_name": fit("contact_name", payload),
                "phone": "13812345678",
                "company_name": payload,
                "topic": payload,
                "description": payload,
                "consent": "on",
                "started": _started_token(),
            },
        )
        if service_request is None or consultation is None:
            # The form refused it (null bytes): store it the way the pipeline would, to show it anyway.
            assert "\x00" in payload
            from services import pipeline

            service_request = service_request or _request_with(payload, number)
            stored = storable(payload)
            consultation = consultation or pipeline.create_request(
                CONSULTATION.key,
                {"contact_name": "赵六", "phone": "13812345678", "company_name": stored, "description": stored},
                {"expert": stored, "topic": stored},
                notify=False,
            )
        else:
            through_forms += 1
        # The officer's public note, typed into the handling form (which refuses null bytes).
        if "\x00" in payload:
            from services import pipeline

            pipeline.add_note(service_request, storable(payload), superuser, public=True)
        else:
            handled = staff.post(
                f"/admin/servicerequest/inspect/{service_request.pk}/", {"note": payload, "note_public": "on"}
            )
            assert handled.status_code == 302, (handled.status_code, handled.context["handle_form"].errors)
        assert service_request.events.filter(note=storable(payload).strip(), is_public=True).exists()
        page(staff, f"/admin/servicerequest/inspect/{service_request.pk}/", "admin request detail")
        page(staff, f"/admin/servicerequest/inspect/{consultation.pk}/", "admin consultation detail")
        tracked = page(
            Client(),
            services["index"].url + "track/",
            "public tracking",
            "post",
            {"reference": service_request.reference, "phone": "13812345678"},
        )
        assert service_request.reference in tracked
    assert through_forms >= len(PAYLOADS) - 2
    page(staff, "/admin/servicerequest/", "admin request list")
    page(staff, "/admin/servicerequest/?category=consultation", "admin consultation list")
    for place in ("admin request detail", "admin consultation detail", "public tracking + officer note"):
        count(place)
    count("admin request list")
    count("admin consultation list")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _xlsx_rows(response):
    body = response.getvalue() if hasattr(response, "getvalue") else b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], [
        cell.data_type for row in sheet.iter_rows() for cell in row
    ]


def _assert_no_formula(rows, where):
    for row in rows[1:]:
        for value in row:
            if isinstance(value, str) and value:
                assert not value.startswith(FORMULA_START), (where, value)


FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://x.example")']


def test_exports_neutralise_formulas_in_every_text_column(everything, staff, superuser):
    from services.factories import ExpertQuestionFactory

    for number, formula in enumerate(FORMULAS):
        _request_with(formula, number)
        ExpertQuestionFactory(
            expert=everything["expert"], name=formula, contact=f"1380000000{number}", question=formula, answer=formula
        )
    rows = _csv_rows(staff.get("/admin/servicerequest/?export=csv"))
    assert len(rows) == len(FORMULAS) + 1
    _assert_no_formula(rows, "request CSV")
    assert sum(value == "'" + FORMULAS[0] for row in rows for value in row) >= 4  # the text is kept, prefixed
    xlsx_rows, types = _xlsx_rows(staff.get("/admin/servicerequest/?export=xlsx"))
    _assert_no_formula(xlsx_rows, "request XLSX")
    assert "f" not in types
    rows = _csv_rows(staff.get("/admin/expert_questions/?export=csv"))
    assert len(rows) == len(FORMULAS) + 1
    _assert_no_formula(rows, "留言 CSV")
    xlsx_rows, types = _xlsx_rows(staff.get("/admin/expert_questions/?export=xlsx"))
    _assert_no_formula(xlsx_rows, "留言 XLSX")
    assert "f" not in types
    count("exports: request CSV+XLSX, 留言 CSV+XLSX", FORMULAS * 4)


def test_expert_questions_render_inert_in_public_and_in_moderation(everything, staff, superuser):
    from services.factories import ExpertQuestionFactory
    from services.models import ExpertQuestion

    expert = everything["expert"]
    questions = [
        ExpertQuestionFactory(
            expert=expert,
            name=payload[:40],
            contact=f"1380000{number:04d}",
            question=payload,
            answer=payload,
            consent_to_publish=True,
            status=ExpertQuestion.Status.PUBLISHED,
        )
        for number, payload in enumerate(map(storable, PAYLOADS))
    ]
    page(Client(), expert.url, "public expert page")
    page(staff, "/admin/expert_questions/", "admin 留言 list")
    for question in questions:
        page(staff, f"/admin/expert_questions/inspect/{question.pk}/", "admin 留言 inspect")
        page(staff, f"/admin/expert_questions/edit/{question.pk}/", "admin 留言 edit")
    for place in ("public expert page", "admin 留言 list", "admin 留言 inspect", "admin 留言 edit"):
        count(place)


# ---------------------------------------------------------------------------
# Editor fields: page title, lead, rich text (through the Draftail converter), StreamField
# text, snippet names, and the search query log.


def _contentstate(text):
    """What the Draftail editor posts: a paragraph of typed text linked to ``javascript:``."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "text": text,
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": len(text), "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
        }
    )


def test_editor_fields_render_inert(everything, staff):
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
    from wagtail.contrib.search_promotions.models import Query

    from cms.blocks import RICH_TEXT_FEATURES
    from cms.models import Topic
    from news.factories import ArticlePageFactory

    converter = ContentstateConverter(features=RICH_TEXT_FEATURES)
    news = everything["site"]["news"]
    articles = []
    for number, payload in enumerate(map(storable, PAYLOADS)):
        rich = converter.to_database_format(_contentstate(payload))
        topic = Topic.objects.create(name=f"{number}{payload}"[:50], slug=slugify(f"xss-{number}"))
        article = ArticlePageFactory(
            parent=news,
            title=payload,
            slug=f"xss-{number}",
            lead=payload,
            body=[
                ("heading", {"text": payload[:120], "level": "h2"}),
                ("paragraph", rich),
                ("quote", {"text": payload, "attribution": payload[:120]}),
            ],
        )
        article.topics.add(topic)
        article.save_revision().publish()
        articles.append(article)
        Query.get(payload).add_hit()
    for article in articles:
        page(Client(), article.url, "public article (title, lead, rich text, StreamField, topic)")
    page(Client(), news.url, "public news index")
    page(Client(), "/", "home page")
    page(Client(), "/search/", "search results", data={"q": "alert"})
    page(staff, f"/admin/pages/{news.pk}/", "admin page explorer")
    page(staff, f"/admin/pages/{articles[0].pk}/edit/", "admin page editor")
    page(staff, "/admin/snippets/cms/topic/", "admin topic snippets")
    page(staff, "/admin/searchpicks/reports/search-terms/", "admin search terms report")
    count("public article (title, lead, rich text, StreamField, topic)")
    for place in (
        "public news index",
        "home page",
        "search results",
        "admin page explorer",
        "admin topic snippets",
        "admin search terms report",
    ):
        count(place)


@pytest.mark.parametrize(
    "payload",
    # Not the mutation-XSS one: html.parser never closes its <style>; the verbatim check covers it.
    [p for p in PAYLOADS if "<" in p and "alert(" in p and "＜" not in p and "\x00" not in p and "mglyph" not in p],
)
def test_the_checker_flags_each_payload_left_unescaped(payload):
    """The oracle itself: the same payloads dropped raw into a page are caught by the DOM check alone."""
    checker = DomCheck()
    checker.feed(f"<html><body><p>{payload}</p></body></html>")
    checker.close()
    assert checker.problems
