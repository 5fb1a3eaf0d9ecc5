"""Remove personal data and files of closed requests; keep anonymous statistics.

Kept: reference, category, status, tier, region, industry, employee count, dates,
assignee, rating score and the status history without notes. Cleared: company,
统一社会信用代码, contact, phone, email, description, category answers, notes,
rating comment, attachments (files deleted from storage).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from services.models import RequestAttachment, RequestEvent, ServiceRequest


class Command(BaseCommand):
    help = "清除已关闭服务申请的个人信息和附件（保留匿名统计）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--closed-before",
            help="YYYY-MM-DD；默认为今天减去 SERVICES_RETENTION_DAYS 天",
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args, closed_before=None, dry_run=False, **options):
        if closed_before:
            try:
                cutoff = datetime.date.fromisoformat(closed_before)
            except ValueError:
                raise CommandError("--closed-before 应为 YYYY-MM-DD 格式的日期") from None
        else:
            cutoff = timezone.localdate() - datetime.timedelta(days=settings.SERVICES_RETENTION_DAYS)
        queryset = ServiceRequest.objects.closed_before(cutoff).filter(purged_at__isnull=True)
        count = queryset.count()
        if dry_run:
            self.stdout.write(f"将清除 {count} 件申请（关闭于 {cutoff} 之前）")
            return
        files = []
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            attachments = RequestAttachment.objects.filter(request_id__in=ids)
            files = list(attachments.values_list("file", flat=True))
            attachments.delete()
            RequestEvent.objects.filter(request_id__in=ids).update(note="")
            ServiceRequest.objects.filter(pk__in=ids).update(
                company_name="",
                credit_code="",
                contact_name="",
                phone="",
                email="",
                description="",
                details={},
                rating_comment="",
                purged_at=timezone.now(),
            )
        # Files go after the commit: a rolled-back purge must not have lost them.
        storage = RequestAttachment._meta.get_field("file").storage
        for name in files:
            storage.delete(name)
        self.stdout.write(f"已清除 {count} 件申请的个人信息，删除附件 {len(files)} 个（关闭于 {cutoff} 之前）")
