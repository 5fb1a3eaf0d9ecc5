"""The newsroom's two-step review: 初审 (first review) then 终审 (final review)."""

from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from cms import roles

WORKFLOW_NAME = "新闻两审"
FIRST_REVIEW = "初审"
FINAL_REVIEW = "终审"


def _task(name, group_names):
    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
    task.groups.set(Group.objects.filter(name__in=group_names))
    return task


@transaction.atomic
def ensure_news_workflow(news_index):
    """Create the workflow if missing and assign it to the news section (idempotent).

    Moderators may also take the first review so a story is never stuck when no
    other editor is on shift; only moderators give the final approval.
    """
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    first = _task(FIRST_REVIEW, [roles.EDITORS, roles.MODERATORS])
    final = _task(FINAL_REVIEW, [roles.MODERATORS])
    for order, task in enumerate([first, final]):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    WorkflowPage.objects.update_or_create(page=news_index, defaults={"workflow": workflow})
    return workflow
