"""Admin for the collaboration platform: the technical-field vocabulary, a flat listing of
map items with filters, and the officers' 留言 moderation queue.

Registered from services/wagtail_hooks.py (one import line) so that file stays shared.
"""

import django_filters

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.views.generic.models import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from services.admin_views import neutralise_formula
from services.models import CollaborationItemPage, ExpertQuestion, TechField


class TechFieldViewSet(SnippetViewSet):
    model = TechField
    icon = "tag"
    menu_label = _("技术领域")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    list_export = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "name"]


class CollaborationItemFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=CollaborationItemPage.Kind.choices)
    year = django_filters.NumberFilter(label=_("年份"))
    location_is_sample = django_filters.BooleanFilter(label=_("示例位置"))

    class Meta:
        model = CollaborationItemPage
        fields = ["kind", "field", "region", "year", "location_is_sample"]


class CollaborationItemListingViewSet(PageListingViewSet):
    model = CollaborationItemPage
    icon = "site"
    menu_label = _("科技协作条目")
    name = "collaboration_items"
    add_to_admin_menu = True
    menu_order = 210
    filterset_class = CollaborationItemFilterSet


class QuestionFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label=_("提交日期"))

    class Meta:
        model = ExpertQuestion
        fields = ["status", "expert", "consent_to_publish", "created_at"]


class QuestionIndexView(IndexView):
    # The expert column and each row's title read the expert page: one join, not a query per row.
    queryset = ExpertQuestion.objects.select_related("expert")

    def preprocess_field_value(self, field, value, export_format):
        # Names and questions come from the public form: a spreadsheet must not run them as formulas.
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))


class QuestionEditView(EditView):
    def save_instance(self):
        question = self.form.instance
        # Record who typed the answer and when it changed; the public page sorts by this date.
        if "answer" in self.form.changed_data and question.answer.strip():
            question.answered_by = self.request.user
            question.answered_at = timezone.now()
        return super().save_instance()


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Questions come only from the public form; nobody adds or copies them in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(ExpertQuestion, QuestionPermissionPolicy(ExpertQuestion), exact_class=True)


class ExpertQuestionViewSet(ModelViewSet):
    """Officers read each 留言, type the expert's answer and publish or reject it."""

    copy_view_enabled = False

    model = ExpertQuestion
    icon = "help"
    menu_label = _("专家留言")
    name = "expert_questions"
    add_to_admin_menu = True
    menu_order = 220
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    list_display = ["question", "expert", "name", "status", "consent_to_publish", "created_at"]
    filterset_class = QuestionFilterSet
    search_fields = ["name", "question", "answer"]
    list_export = [
        "expert",
        "name",
        "contact",
        "question",
        "consent_to_publish",
        "answer",
        "status",
        "created_at",
        "answered_at",
    ]
    export_filename = "expert-questions"
    ordering = ["-created_at"]
    inspect_view_enabled = True
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("expert", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("contact", read_only=True),
                FieldPanel("question", read_only=True),
                FieldPanel("consent_to_publish", read_only=True),
            ],
            heading=_("留言"),
        ),
        MultiFieldPanel([FieldPanel("answer"), FieldPanel("status")], heading=_("答复与审核")),
    ]
