"""Editorial workflow end to end (初审 → 终审), scheduled publishing, locking and comments."""

import datetime
from io import StringIO

import pytest
import time_machine

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms import roles
from news.models import ArticlePage
from news.workflow import FINAL_REVIEW, FIRST_REVIEW, WORKFLOW_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", "--skip-index", stdout=StringIO())
    users = {user.username: user for user in get_user_model().objects.all()}
    return {"news": Page.objects.get(url_path="/home/news/").specific, "users": users}


def article_form(title, slug, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "kicker": "",
            "subtitle": "",
            "lead": "编辑提交的导语。",
            "body": streamfield([("paragraph", rich_text("<p>编辑提交的正文。</p>"))]),
            "bylines": inline_formset([{"name": "杨骏", "role": "reporter", "organisation": ""}]),
            "related_items": inline_formset([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def login(client, demo, username):
    client.force_login(demo["users"][username])


def approve(client, page):
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""}), task_state


def test_load_demo_assigns_the_two_step_workflow(demo):
    workflow = demo["news"].get_workflow()
    assert workflow.name == WORKFLOW_NAME
    tasks = [task.specific for task in workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert [task.name for task in tasks] == [FIRST_REVIEW, FINAL_REVIEW]
    assert {group.name for group in tasks[0].groups.all()} == {roles.EDITORS, roles.MODERATORS}
    assert {group.name for group in tasks[1].groups.all()} == {roles.MODERATORS}


def test_editor_submits_moderator_approves_both_steps(client, demo):
    news = demo["news"]
    login(client, demo, "editor")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", news.pk]),
        article_form("工作流测试稿件", "workflow-story", **{"action-submit": "submit"}),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    article = ArticlePage.objects.get(slug="workflow-story")
    assert not article.live
    assert article.current_workflow_task.name == FIRST_REVIEW

    # The editor cannot give the final approval: 终审 belongs to moderators.
    login(client, demo, "moderator")
    response, first_state = approve(client, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_task.name == FINAL_REVIEW

    login(client, demo, "editor")
    response, _state = approve(client, article)
    assert (response.status_code, response.url) == (302, "/admin/")  # Wagtail's permission-denied redirect
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_task.name == FINAL_REVIEW

    login(client, demo, "moderator")
    response, _state = approve(client, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    assert article.display_date == article.first_published_at
    assert client.get(article.url).status_code == 200
    first_state.refresh_from_db()
    assert first_state.status == "approved"
    assert first_state.finished_by == demo["users"]["moderator"]


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, demo):
    news = demo["news"]
    login(client, demo, "editor")
    others = list(ArticlePage.objects.live()[:4])
    data = article_form(
        "相关内容过多的稿件",
        "too-many-related",
        related_items=inline_formset([{"page": other.pk} for other in others]),
        **{"action-submit": "submit"},
    )
    # nested_form_data flattened the first formset; replace it with four related items.
    data.update(nested_form_data({"related_items": inline_formset([{"page": other.pk} for other in others])}))
    response = client.post(reverse("wagtailadmin_pages:add", args=["news", "articlepage", news.pk]), data)
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="too-many-related").exists()
    html = response.content.decode()
    assert "相关内容过多的稿件" in html
    assert "请最多提交 3 个表单。" in html  # next to the related-items panel


def test_scheduled_article_goes_live_after_publish_scheduled(demo):
    news = demo["news"]
    article = ArticlePage(title="定时发布的稿件", slug="scheduled-story", lead="定时发布。")
    news.add_child(instance=article)
    go_live = timezone.now() + datetime.timedelta(hours=2)
    article.go_live_at = go_live
    revision = article.save_revision(user=demo["users"]["moderator"], approved_go_live_at=go_live)
    revision.publish()
    article.refresh_from_db()
    assert not article.live

    call_command("publish_scheduled", stdout=StringIO())
    article.refresh_from_db()
    assert not article.live

    with time_machine.travel(go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled", stdout=StringIO())
    article.refresh_from_db()
    assert article.live
    assert article.display_date is not None


def test_locking_and_comments(client, demo):
    article = ArticlePage.objects.live().first()
    moderator, editor = demo["users"]["moderator"], demo["users"]["editor"]
    assert article.permissions_for_user(moderator).can_lock()
    login(client, demo, "moderator")
    response = client.post(reverse("wagtailadmin_pages:lock", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.locked and article.locked_by == moderator
    # A locked page cannot be edited by someone else.
    assert article.get_lock().for_user(editor)

    login(client, demo, "editor")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "comments" in html  # the comments side panel is on
    assert "元数据" in html  # metadata has its own tab
    revisions = client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    assert revisions.status_code == 200


def test_newsroom_listing_in_admin_filters_by_topic(client, demo):
    login(client, demo, "editor")
    response = client.get(reverse("news_articles:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "鲁渝科技协作信息服务平台正式上线" in html
    from cms.models import Topic

    topic = Topic.objects.get(slug="smart-shipping")
    html = client.get(reverse("news_articles:index"), {"topics": topic.pk}).content.decode()
    assert "我国自主研发的智能航行船舶在青岛海试" in html
    assert "鲁渝科技协作信息服务平台正式上线" not in html
