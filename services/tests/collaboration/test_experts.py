import re

import pytest

from django.contrib.auth import get_user_model

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from services.factories import ExpertQuestionFactory
from services.models import ExpertIndexPage, ExpertPage, ExpertQuestion
from services.tests.collaboration.conftest import started_token

pytestmark = pytest.mark.django_db

QUESTION = "海拔800米的坡地可以种植高山蔬菜吗？需要什么条件？"


def ask(client, expert, **overrides):
    data = {
        "name": "张三",
        "contact": "13800000000",
        "question": QUESTION,
        "consent_to_publish": "on",
        "started": started_token(),
        "website": "",
        **overrides,
    }
    data = {key: value() if callable(value) else value for key, value in data.items()}
    return client.post(expert.url + "ask/", data)


def test_directory_lists_filters_and_searches(client, collab):
    url = collab["experts_index"].url
    html = client.get(url).content.decode()
    assert "示例专家 重庆甲" in html and "示例专家 山东乙" in html and "共 2 位专家" in html
    html = client.get(url + "?field=livestock").content.decode()
    assert "示例专家 山东乙" in html and "示例专家 重庆甲" not in html
    html = client.get(url + "?province=chongqing").content.decode()
    assert "示例专家 重庆甲" in html and "示例专家 山东乙" not in html
    for query in ["蔬菜", "重庆市农科院", "农学", "重庆甲"]:  # speciality, organisation, field, name
        html = client.get(url, {"q": query}).content.decode()
        assert "示例专家 重庆甲" in html and "示例专家 山东乙" not in html, query
    html = client.get(url, {"q": "没有这个词"}).content.decode()
    assert "没有找到符合条件的专家" in html


def test_directory_bad_filters_are_reported_not_fatal(client, collab):
    url = collab["experts_index"].url
    response = client.get(url, {"field": "astrology", "province": "<b>", "q": "蔬" * 60, "page": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "此条件已忽略" in html and "关键词最多 50 个字" in html and "<b>" not in html


def test_directory_query_count_does_not_grow(client, collab):
    from wagtail_factories import ImageFactory

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from services.factories import ExpertPageFactory

    url = collab["experts_index"].url

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    expert = collab["experts"]["cq"]
    expert.photo = ImageFactory()
    expert.save_revision().publish()
    client.get(url)  # the first render creates the rendition
    client.get(url)  # ...and the site settings rows, a new content version
    before = count()
    for n in range(5):
        ExpertPageFactory(
            parent=collab["experts_index"],
            slug=f"more-{n}",
            tech_fields=[collab["fields"]["agronomy"]],
            photo=ImageFactory(),
        )
    client.get(url)  # the first render creates the renditions
    html = client.get(url).content.decode()
    assert html.count("<img") == 6
    assert count() == before


def test_question_goes_from_submission_through_moderation_to_the_expert_page(client, collab):
    expert = collab["experts"]["cq"]
    response = ask(client, expert)
    assert response.status_code == 302
    question = ExpertQuestion.objects.get()
    assert (question.expert, question.status, question.consent_to_publish) == (expert, "pending", True)
    page = client.get(expert.url).content.decode()
    assert "留言已提交" in page
    assert QUESTION not in page  # not public before moderation

    officer = get_user_model().objects.create_superuser("moderator1", "m@example.org", "pw")
    client.force_login(officer)
    response = client.post(
        f"/admin/expert_questions/edit/{question.pk}/",
        {"answer": "可以种植，注意选择耐寒品种并做好排水。", "status": "published"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered_by == officer and question.answered_at is not None
    client.logout()

    page = client.get(expert.url).content.decode()
    assert QUESTION in page and "可以种植，注意选择耐寒品种并做好排水。" in page
    assert "张**" in page and "13800000000" not in page  # surname only, contact never shown
    # Another expert's page does not show it.
    assert QUESTION not in client.get(collab["experts"]["sd"].url).content.decode()


def test_rejected_and_unanswered_questions_stay_private(client, collab):
    expert = collab["experts"]["cq"]
    ExpertQuestionFactory(expert=expert, question="示例：尚未答复的问题内容", status="pending")
    ExpertQuestionFactory(expert=expert, question="示例：不予公开的问题内容", answer="答", status="rejected")
    html = client.get(expert.url).content.decode()
    assert "尚未答复" not in html and "不予公开的问题" not in html and "暂无公开的留言答复" in html


def test_published_question_text_is_escaped(client, collab):
    expert = collab["experts"]["cq"]
    ExpertQuestionFactory(
        expert=expert,
        question="<script>alert('q')</script>请问",
        answer="<img src=x onerror=alert(1)>",
        status="published",
    )
    html = client.get(expert.url).content.decode()
    assert "<script>alert('q')</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"name": "  "}, "请填写您的姓名", "name"),
        ({"contact": "12345"}, "请填写有效的手机号码", "contact"),
        ({"contact": "not-an-email@"}, "请填写有效的手机号码", "contact"),
        ({"question": "太短了"}, "问题至少写 10 个字", "question"),
        ({"question": "长" * 1001}, "问题最多 1000 个字", "question"),
        ({"consent_to_publish": ""}, "请勾选同意公开", "consent"),
        ({"started": "forged"}, "页面已过期", "started"),
        ({"started": lambda: started_token(seconds_ago=7 * 3600)}, "页面打开时间过长", "started"),
    ],
)
def test_bad_questions_are_refused_with_chinese_messages_and_input_kept(client, collab, overrides, message, field):
    expert = collab["experts"]["cq"]
    response = ask(client, expert, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert ExpertQuestion.objects.count() == 0
    # What the person typed is still there (except the field that was wrong, when it was emptied).
    if field != "question":
        assert QUESTION in html
    if field != "contact":
        assert 'value="13800000000"' in html
    # The page carries a new, valid start token so the corrected form can be sent.
    token = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert token != data_started(overrides)


def data_started(overrides):
    value = overrides.get("started")
    return value() if callable(value) else value


def test_too_fast_submission_is_refused_and_kept(client, collab, settings):
    import time_machine

    settings.SERVICES_MIN_FILL_SECONDS = 3

    expert = collab["experts"]["cq"]
    with time_machine.travel("2026-06-01 10:00:00 +0800", tick=False):
        token = started_token(seconds_ago=0)
        response = ask(client, expert, started=token)
    assert response.status_code == 400
    assert "提交过快" in response.content.decode() and QUESTION in response.content.decode()
    assert ExpertQuestion.objects.count() == 0


def test_accepted_contact_formats(client, collab):
    expert = collab["experts"]["cq"]
    for contact in ["138 0000 0000", "023-12345678", "farmer@example.org"]:
        assert ask(client, expert, contact=contact).status_code == 302, contact
    assert sorted(ExpertQuestion.objects.values_list("contact", flat=True)) == [
        "023-12345678",
        "13800000000",
        "farmer@example.org",
    ]


def test_honeypot_submissions_are_refused_like_the_service_forms(client, collab):
    # One anti-spam policy for every public form (services.antispam): a message, nothing stored.
    response = ask(client, collab["experts"]["cq"], website="http://spam.example")
    assert response.status_code == 400
    assert "提交未通过校验" in response.content.decode() and QUESTION in response.content.decode()
    assert ExpertQuestion.objects.count() == 0


def test_rate_limit_per_ip(client, collab, settings):
    settings.COLLABORATION_FORMS = {**settings.COLLABORATION_FORMS, "question_rate": (2, 3600)}
    expert = collab["experts"]["cq"]
    assert ask(client, expert).status_code == 302
    assert ask(client, expert).status_code == 302
    response = ask(client, expert)
    assert response.status_code == 429
    assert "过于频繁" in response.content.decode() and QUESTION in response.content.decode()
    assert ExpertQuestion.objects.count() == 2
    # Another address is not affected.
    assert ask(client, expert, **{}).status_code == 429
    other = client.post(
        expert.url + "ask/",
        {
            "name": "李四",
            "contact": "13900000000",
            "question": QUESTION,
            "consent_to_publish": "on",
            "started": started_token(),
        },
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_ask_route_only_takes_posts(client, collab):
    expert = collab["experts"]["cq"]
    assert client.get(expert.url + "ask/").status_code == 302
    assert client.put(expert.url + "ask/").status_code == 405


def test_expert_who_does_not_accept_questions(client, collab):
    expert = collab["experts"]["cq"]
    expert.accepts_questions = False
    expert.save_revision().publish()
    assert ask(client, expert).status_code == 302
    assert ExpertQuestion.objects.count() == 0
    assert 'id="ask"' not in client.get(expert.url).content.decode()


def test_consultation_entry_point_is_reserved(client, collab, settings):
    settings.EXPERT_CONSULTATION_VIEW = ""  # as when no pipeline view is configured
    expert = collab["experts"]["cq"]
    html = client.get(expert.url).content.decode()
    assert f'href="{expert.url}consult/"' in html
    response = client.get(expert.url + "consult/")
    assert response.status_code == 200
    assert "尚未开放" in response.content.decode() and "noindex" in response.content.decode()
    # The services pipeline plugs in through one setting.
    settings.EXPERT_CONSULTATION_VIEW = "services.tests.collaboration.test_experts.fake_pipeline_view"
    assert client.get(expert.url + "consult/").content == f"consult {expert.pk}".encode()


def fake_pipeline_view(request, expert):
    from django.http import HttpResponse

    return HttpResponse(f"consult {expert.pk}")


def test_question_model_constraint_blocks_publishing_without_answer(collab):
    from django.db import IntegrityError, transaction

    question = ExpertQuestionFactory(expert=collab["experts"]["cq"])
    question.status = "published"
    with pytest.raises(IntegrityError), transaction.atomic():
        question.save()


class ExpertTreeRulesTests(WagtailPageTestCase):
    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(ExpertIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(ExpertPage, {ExpertIndexPage})
        self.assertAllowedSubpageTypes(ExpertPage, set())
