import datetime

import factory
import wagtail_factories

from django.utils import timezone

from cms.choices import ServiceCategory
from services.models import (
    CollaborationMapPage,
    Enterprise,
    OfficerGroup,
    RequestStatus,
    ServiceIndexPage,
    ServicePage,
    ServiceRequest,
)
from services.validators import credit_code_check_character


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    title = "服务"
    slug = "services"

    class Meta:
        model = ServiceIndexPage


class CollaborationMapPageFactory(wagtail_factories.PageFactory):
    title = "科技协作"
    slug = "collaboration"

    class Meta:
        model = CollaborationMapPage


class ServicePageFactory(wagtail_factories.PageFactory):
    category = ServiceCategory.TALENT
    title = factory.LazyAttribute(lambda page: str(ServiceCategory(page.category).label))
    slug = factory.LazyAttribute(lambda page: page.category)
    intro = "<p>示例服务简介</p>"

    class Meta:
        model = ServicePage


def make_credit_code(number):
    base = f"91500105MA5U{number % 100000:05d}"
    return base + credit_code_check_character(base)


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A stored request without going through the pipeline (for listings and permissions)."""

    reference = factory.Sequence(lambda n: f"FW2026-T{n:05d}")
    category = ServiceCategory.TALENT
    status = RequestStatus.SUBMITTED
    company_name = factory.Sequence(lambda n: f"示例企业{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)
    tier = "other"
    industry = "制造业"
    employees = 100
    contact_name = "张三"
    phone = "13812341234"
    description = "示例需求"
    details = factory.LazyFunction(dict)
    submitted_at = factory.LazyFunction(timezone.now)
    acceptance_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))
    completion_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))

    class Meta:
        model = ServiceRequest


class OfficerGroupFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"示例对接{n}组")

    class Meta:
        model = OfficerGroup
        django_get_or_create = ("name",)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"示例登记企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code(50000 + n))
    tier = "municipal"
    industry = "制造业"
    employees = 80

    class Meta:
        model = Enterprise


from services.collaboration.factories import *  # noqa: E402, F403  (collaboration map and experts)
