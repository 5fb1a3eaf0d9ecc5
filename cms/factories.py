import factory
from factory.django import DjangoModelFactory

from cms.models import Organisation, Region, Topic


class RegionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"示例地区{n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    level = Region.Level.DISTRICT

    class Meta:
        model = Region
        django_get_or_create = ("slug",)


class TopicFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"示例主题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)


class OrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"示例机构{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.OTHER

    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)
