"""Delete request attachment files that no attachment row points to.

A submission writes its files inside the transaction that saves its rows; if the process
dies before the commit (kill -9, out of memory, power loss) the rows roll back and the
files stay behind, reachable by no one. Only files older than --older-than-minutes are
touched, so submissions still in flight keep theirs. Run it from cron (see README).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from services.models import RequestAttachment
from services.storage import private_storage

ROOT = "requests"


def stored_files(storage, path=ROOT):
    if not storage.exists(path):
        return
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for directory in directories:
        yield from stored_files(storage, f"{path}/{directory}")


def orphan_files(older_than):
    """Names under requests/ without an attachment row, last modified before ``older_than``."""
    storage = private_storage()
    referenced = set(RequestAttachment.objects.values_list("file", flat=True))
    return [
        name
        for name in stored_files(storage)
        if name not in referenced and storage.get_modified_time(name) < older_than
    ]


class Command(BaseCommand):
    help = "删除没有对应申请记录的附件文件（进程在提交事务前被终止时遗留）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60, help="只删除早于此分钟数的文件（默认60）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, older_than_minutes=60, dry_run=False, **options):
        cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
        names = orphan_files(cutoff)
        storage = private_storage()
        for name in names:
            if not dry_run:
                storage.delete(name)
            self.stdout.write(name)
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(f"{verb}孤立附件 {len(names)} 个")
