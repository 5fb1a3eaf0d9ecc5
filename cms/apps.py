from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("站点核心")

    def ready(self):
        from cms import (
            block_rendering,
            cluster,
            compiled_regexes,
            context_locals,
            escaping,
            fragments,
            i18n,
            image_filters,
            kept_blocks,
            kept_sql,
            kept_urls,
            model_rows,
            random_strings,
            rich_text,
            stream_fields,
            template_nodes,
        )
        from cms.cache import connect_signals

        connect_signals()
        i18n.install()
        context_locals.install()
        image_filters.install()
        kept_urls.install()
        cluster.install()
        kept_sql.install()
        escaping.install()
        random_strings.install()
        block_rendering.install()
        stream_fields.install()
        kept_blocks.install()
        template_nodes.install()
        rich_text.install()
        compiled_regexes.install()
        model_rows.install()
        fragments.install()
