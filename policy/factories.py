import datetime

import factory
import wagtail_factories

from cms.factories import OrganisationFactory, TopicFactory
from policy.choices import DocType, InterpretationFormat
from policy.models import InterpretationPage, PolicyIssuer, PolicyLibraryPage, PolicyPage, PolicyTopic


class PolicyLibraryPageFactory(wagtail_factories.PageFactory):
    title = "政策"
    slug = "policies"

    class Meta:
        model = PolicyLibraryPage


class PolicyPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"示例政策文件{n}")
    slug = factory.Sequence(lambda n: f"policy-{n}")
    doc_type = DocType.NOTICE
    publish_date = datetime.date(2023, 1, 1)

    class Meta:
        model = PolicyPage
        skip_postgeneration_save = True

    @factory.post_generation
    def issuers(self, create, extracted, **kwargs):
        """issuers=[org, ...]; one sample issuer when not given."""
        organisations = extracted if extracted is not None else [OrganisationFactory()]
        for order, organisation in enumerate(organisations):
            PolicyIssuer.objects.create(page=self, organisation=organisation, sort_order=order)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        for order, topic in enumerate(extracted or []):
            PolicyTopic.objects.create(page=self, topic=topic, sort_order=order)


class InterpretationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"示例政策解读{n}")
    slug = factory.Sequence(lambda n: f"interpretation-{n}")
    format = InterpretationFormat.TEXT
    publish_date = datetime.date(2023, 1, 2)

    class Meta:
        model = InterpretationPage


__all__ = ["InterpretationPageFactory", "PolicyLibraryPageFactory", "PolicyPageFactory", "TopicFactory"]
