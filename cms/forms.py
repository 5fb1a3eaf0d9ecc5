from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm

from cms import ratelimit


class ThrottledLoginForm(LoginForm):
    """The admin login form, refusing further tries after repeated failures.

    Failures are counted per username and per client address, so neither guessing one
    account's password from many addresses nor many accounts from one address gets far.
    """

    error_messages = {
        **LoginForm.error_messages,
        "throttled": _("登录失败次数过多，请 %(minutes)s 分钟后再试。"),
    }

    def _identities(self):
        username = (self.data.get("username") or "").strip().lower()
        return [("login-user", username), ("login-ip", ratelimit.client_ip(self.request) if self.request else "")]

    def clean(self):
        limit = settings.LOGIN_THROTTLE_LIMIT
        window = settings.LOGIN_THROTTLE_WINDOW
        identities = self._identities()
        if any(ratelimit.is_limited(scope, identity, limit) for scope, identity in identities):
            raise ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": max(1, window // 60)}
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            for scope, identity in identities:
                ratelimit.hit(scope, identity, window)
            raise
        ratelimit.reset(*identities[0])
        return cleaned
