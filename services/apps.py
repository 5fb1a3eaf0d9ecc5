from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    label = "services"
    verbose_name = _("服务")

    def ready(self):
        from cms.cache import register_slot
        from services.antispam import make_started_token

        # Service form and expert pages are cached without their anti-spam start times;
        # each visitor's copy gets the time it was served.
        register_slot("started", lambda request: make_started_token())
