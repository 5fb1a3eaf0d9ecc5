"""Every public form refuses the same things with the same messages (services.antispam)."""

import time

import pytest

from services.antispam import token_time
from services.collaboration.forms import ExpertQuestionForm
from services.consultation import ConsultationForm
from services.forms import ServiceRequestForm
from services.tests.collaboration.conftest import started_token

pytestmark = pytest.mark.django_db

PUBLIC_FORMS = [ServiceRequestForm, ConsultationForm, ExpertQuestionForm]


@pytest.mark.parametrize("form_class", PUBLIC_FORMS)
@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        ({"website": "http://spam.example", "started": 60}, "honeypot", "提交未通过校验"),
        ({"started": "forged"}, "stale", "页面已过期"),
        ({"started": 7 * 3600}, "expired", "页面打开时间过长"),
        ({"started": 0}, "too_fast", "提交过快"),
    ],
)
def test_every_public_form_refuses_spam_the_same_way(form_class, data, code, message, settings):
    settings.SERVICES_MIN_FILL_SECONDS = 3
    settings.SERVICES_FORM_MAX_AGE = 6 * 3600
    started = data["started"] if isinstance(data["started"], str) else started_token(seconds_ago=data["started"])
    form = form_class(data={"website": "", **data, "started": started})
    assert not form.is_valid()
    errors = form.errors.as_data()["__all__"]
    assert [error.code for error in errors] == [code]
    assert message in str(errors[0].message)
    if code == "honeypot":  # shown again without it, so a person can send the form
        assert form.data["website"] == ""
    renewed = token_time(form.data["started"])
    if code in ("stale", "expired"):  # the form shown again carries a token that works
        assert renewed is not None and time.time() - renewed < 5
    else:
        assert form.data["started"] == started


@pytest.mark.parametrize("form_class", PUBLIC_FORMS)
def test_a_fresh_form_carries_a_signed_start_time(form_class):
    started = token_time(form_class().initial["started"])
    assert started is not None and abs(time.time() - started) < 5
