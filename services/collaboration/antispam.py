"""Honeypot, minimum fill time and a per-IP rate limit for public forms.

Nothing here needs JavaScript or a third-party service (no CAPTCHA reachable from
China is assumed). The rate limit uses cms.ratelimit's cache counters and client address
(TRUSTED_PROXY_COUNT), shared by every app server once REDIS_URL is set.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from cms import ratelimit

HONEYPOT_FIELD = "website"
_SALT = "services.collaboration.form-started"


def make_question_token():
    """The signed start time of a public form (the page cache fills it per visitor: cms.cache slots)."""
    return signing.dumps(int(time.time()), salt=_SALT)


def _setting(name, default):
    return getattr(settings, "COLLABORATION_FORMS", {}).get(name, default)


class SpamGuardMixin(forms.Form):
    """Adds a signed start time and a honeypot; ``is_spam`` tells the view to drop the submission quietly."""

    started = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh token on every render, so a re-displayed form restarts its clock.
        self.initial["started"] = make_question_token()

    @property
    def fresh_started(self):
        """A new token for the page being rendered, so a form shown again after an error can still be sent."""
        return self.initial["started"]

    @property
    def is_spam(self):
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_started(self):
        token = self.data.get("started", "")
        try:
            started = int(signing.loads(token, salt=_SALT))
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise forms.ValidationError(_("表单校验信息无效，请刷新页面后重新提交。"), code="bad_token") from error
        elapsed = time.time() - started
        if elapsed > _setting("max_age", 6 * 3600):
            raise forms.ValidationError(_("页面打开时间过长，请核对内容后重新提交。"), code="expired")
        if elapsed < _setting("min_seconds", 3):
            raise forms.ValidationError(_("提交过快，请确认内容后再提交。"), code="too_fast")
        return token


class RateLimit:
    """At most ``limit`` actions per ``window`` seconds per client address (cms.ratelimit counters)."""

    def __init__(self, scope, limit, window):
        self.scope, self.limit, self.window = scope, limit, window

    def exceeded(self, request):
        return ratelimit.is_limited(self.scope, ratelimit.client_ip(request) or "unknown", self.limit)

    def hit(self, request):
        ratelimit.hit(self.scope, ratelimit.client_ip(request) or "unknown", self.window)


def question_rate_limit():
    limit, window = _setting("question_rate", (5, 3600))
    return RateLimit("expert-question", limit, window)
