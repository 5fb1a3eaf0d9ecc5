from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库和全部媒体文件（含服务申请附件）到一个 .tar.gz 归档。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default="backups",
            help="归档文件路径（以 .tar.gz 结尾）或目录（自动按时间命名）。默认 backups/。",
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        if not output.name.endswith(".tar.gz"):
            output = output / f"backup-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            manifest = create_backup(output, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(f"已备份到 {output}：{rows} 行数据，{len(manifest['files'])} 个文件。"))
