"""Labels the policy templates show, as Django's get_<field>_display() gives them."""

from policy.choices import DocType, InterpretationFormat
from policy.models import InterpretationPage, PolicyPage


def test_document_type_and_interpretation_format_labels(db):  # a new page asks for its default locale
    for value in [*DocType.values, "", "no-such-type"]:
        page = PolicyPage(doc_type=value)
        assert page.doc_type_label == page.get_doc_type_display()
        assert type(page.doc_type_label) is str
    for value in [*InterpretationFormat.values, "", "no-such-format"]:
        page = InterpretationPage(format=value)
        assert page.format_label == page.get_format_display()
    assert PolicyPage(doc_type=DocType.NOTICE).doc_type_label == str(DocType.NOTICE.label)
