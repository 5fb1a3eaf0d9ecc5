"""Give every live article a display date (listings read them off the date index)."""

from django.db import migrations
from django.utils import timezone


def date_live_articles(apps, schema_editor):
    ArticlePage = apps.get_model("news", "ArticlePage")
    undated = ArticlePage.objects.filter(live=True, display_date__isnull=True)
    for article in undated.only("first_published_at", "last_published_at", "latest_revision_created_at"):
        date = (
            article.first_published_at
            or article.last_published_at
            or article.latest_revision_created_at
            or timezone.now()
        )
        ArticlePage.objects.filter(pk=article.pk).update(display_date=date)


class Migration(migrations.Migration):
    dependencies = [("news", "0002_articles")]

    operations = [migrations.RunPython(date_live_articles, migrations.RunPython.noop)]
