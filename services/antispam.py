"""Anti-spam for every public form: a honeypot and a signed start time.

Service requests, consultations and questions to experts all extend ``SpamProtectedForm``,
so they refuse the same things with the same messages; per-address limits are in
``services.ratelimit``. Nothing here needs JavaScript or a third-party service (no CAPTCHA
reachable from China is assumed).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

SALT = "services.form-started"
HONEYPOT_FIELD = "website"
# The start time is signed to the millisecond, so it may read up to half of that either side
# of the clock.
TOKEN_DIGITS = 3
TOKEN_ROUNDING = 0.5 * 10**-TOKEN_DIGITS


def make_started_token():
    """The signed time a form was served (the page cache fills it per visitor: the "started" slot)."""
    return signing.dumps(round(time.time(), TOKEN_DIGITS), salt=SALT)


def token_time(token):
    """When ``token`` was issued (seconds since the epoch); None for one this site did not sign."""
    try:
        return float(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


class SpamProtectedForm(forms.Form):
    """A honeypot and a signed start time, checked before anything else is saved.

    Render ``website`` out of sight (the service and expert page templates do) and ``started``
    as its hidden input. Failures are form-level messages, since both fields are invisible;
    what the person typed stays in the form, and a stale token is replaced so the next
    attempt can go through.
    """

    website = forms.CharField(label=_("网址（请留空）"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = make_started_token()

    def clean(self):
        cleaned = super().clean()
        if (self.data.get(HONEYPOT_FIELD) or "").strip():
            # Emptied in the form shown again: a person whose browser filled the hidden field
            # can send it once more; a bot that posts the same data again is refused again.
            self.data = self.data.copy()
            self.data[HONEYPOT_FIELD] = ""
            raise forms.ValidationError(_("提交未通过校验，请检查内容后再次提交。"), code="honeypot")
        started = token_time(self.data.get("started"))
        if started is None:
            self._renew_started()
            raise forms.ValidationError(_("页面已过期，请检查内容后再次提交。"), code="stale")
        elapsed = time.time() - started
        if elapsed > settings.SERVICES_FORM_MAX_AGE:
            self._renew_started()
            raise forms.ValidationError(_("页面打开时间过长，请检查内容后再次提交。"), code="expired")
        if elapsed < settings.SERVICES_MIN_FILL_SECONDS:
            raise forms.ValidationError(_("提交过快，请确认填写的内容后再次提交。"), code="too_fast")
        return cleaned

    def _renew_started(self):
        self.data = self.data.copy()
        self.data["started"] = make_started_token()
