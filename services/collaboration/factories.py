import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cms.factories import OrganisationFactory, RegionFactory
from services.models import CollaborationItemPage, ExpertIndexPage, ExpertPage, ExpertQuestion, TechField

__all__ = [
    "CollaborationItemPageFactory",
    "ExpertIndexPageFactory",
    "ExpertPageFactory",
    "ExpertQuestionFactory",
    "TechFieldFactory",
]


class TechFieldFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"示例领域{n}")
    slug = factory.Sequence(lambda n: f"field-{n}")

    class Meta:
        model = TechField
        django_get_or_create = ("slug",)


class CollaborationItemPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"示例协作条目{n}")
    slug = factory.Sequence(lambda n: f"item-{n}")
    kind = CollaborationItemPage.Kind.PROJECT
    summary = "示例简介。"
    field = factory.SubFactory(TechFieldFactory)
    region = factory.SubFactory(RegionFactory)
    place_name = "示例地点"
    location = "SRID=4326;POINT(106.55 29.56)"
    location_is_sample = True
    year = 2020

    class Meta:
        model = CollaborationItemPage
        skip_postgeneration_save = True

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)
            self.save()


class ExpertIndexPageFactory(wagtail_factories.PageFactory):
    title = "专家服务"
    slug = "experts"

    class Meta:
        model = ExpertIndexPage


class ExpertPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"示例专家{n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    job_title = "研究员"
    organisation = factory.SubFactory(OrganisationFactory)
    province = factory.SubFactory(RegionFactory, level="province")
    specialities = "示例特长"

    class Meta:
        model = ExpertPage
        skip_postgeneration_save = True

    @factory.post_generation
    def tech_fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.tech_fields.set(extracted)
            self.save()


class ExpertQuestionFactory(DjangoModelFactory):
    expert = factory.SubFactory(ExpertPageFactory)
    name = "张三"
    contact = "13800000000"
    question = "示例问题：高山蔬菜怎么防治病虫害？"
    consent_to_publish = True

    class Meta:
        model = ExpertQuestion
