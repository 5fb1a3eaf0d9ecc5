"""Bulk creation of 示例 articles for pagination checks and benchmarks.

``load_demo --sample-articles 2000`` must finish in seconds, so pages are written
with bulk inserts instead of ``add_child`` + ``save_revision().publish()`` per page
(which costs dozens of queries each). The tree paths are computed the way treebeard
does; a test checks ``Page.find_problems()`` finds nothing afterwards. The pages are
live without a revision, like pages imported by a migration; the first edit in the
admin creates one.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page

from cms.models import Organisation, Region, Topic

SAMPLE_PREFIX = "示例"
SLUG_PREFIX = "sample-"
BATCH_SIZE = 500
# Samples are dated before the seed's stories so the demo's front page stays the seed.
LATEST_SAMPLE_DATE = datetime.datetime(2021, 9, 13, 18, 0)


def sample_count(news_index):
    return news_index.get_children().filter(slug__startswith=SLUG_PREFIX).count()


@transaction.atomic
def create_sample_articles(news_index, wanted, log=print):
    """Make sure ``wanted`` sample articles exist under ``news_index``; returns how many were added."""
    from news.models import ArticleByline, ArticlePage

    existing = sample_count(news_index)
    missing = max(0, wanted - existing)
    if not missing:
        return 0
    news_index = Page.objects.select_for_update().get(pk=news_index.pk)
    last_child = news_index.get_last_child()
    next_step = (last_child._get_lastpos_in_path() + 1) if last_child else 1
    content_type = ContentType.objects.get_for_model(ArticlePage)
    topics = itertools.cycle(list(Topic.objects.all()) or [None])
    regions = itertools.cycle(list(Region.objects.all()) or [None])
    source = Organisation.objects.filter(kind=Organisation.Kind.MEDIA).first()
    latest = timezone.make_aware(LATEST_SAMPLE_DATE)
    now = timezone.now()

    added = 0
    for batch_start in range(0, missing, BATCH_SIZE):
        numbers = range(existing + batch_start + 1, existing + min(batch_start + BATCH_SIZE, missing) + 1)
        pages = []
        for offset, number in enumerate(numbers):
            title = f"{SAMPLE_PREFIX}新闻 {number:05d}：科技企业动态"
            slug = f"{SLUG_PREFIX}{number:05d}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    path=Page._get_path(news_index.path, news_index.depth + 1, next_step + batch_start + offset),
                    depth=news_index.depth + 1,
                    numchild=0,
                    url_path=f"{news_index.url_path}{slug}/",
                    locale_id=news_index.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                )
            )
        Page.objects.bulk_create(pages)
        bylines, topic_links, region_links = [], [], []
        for page, number in zip(pages, numbers, strict=True):
            article = ArticlePage(
                page_ptr_id=page.pk,
                lead=f"这是第 {number} 篇示例新闻，用于检验分页和列表性能，不是真实报道。",
                body=[("paragraph", "<p>示例正文：本文由演示数据生成器生成，内容不代表真实事件。</p>")],
                source=source,
                display_date=latest - datetime.timedelta(hours=number),
            )
            # raw=True writes only the article table (the page row exists) and skips
            # per-object search indexing; load_demo rebuilds the index at the end.
            article.save_base(raw=True, force_insert=True)
            bylines.append(ArticleByline(article_id=page.pk, name="示例记者", sort_order=0))
            if topic := next(topics):
                topic_links.append(ArticlePage.topics.through(articlepage_id=page.pk, topic_id=topic.pk))
            if region := next(regions):
                region_links.append(ArticlePage.regions.through(articlepage_id=page.pk, region_id=region.pk))
        ArticleByline.objects.bulk_create(bylines)
        ArticlePage.topics.through.objects.bulk_create(topic_links)
        ArticlePage.regions.through.objects.bulk_create(region_links)
        added += len(pages)
        log(f"  示例新闻 {existing + added}/{wanted}")
    Page.objects.filter(pk=news_index.pk).update(numchild=F("numchild") + added)
    return added
