from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 backup 命令生成的归档恢复数据库和媒体文件（会覆盖当前数据）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 生成的 .tar.gz 文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库和文件。")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"找不到归档文件：{archive}")
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前数据库和文件；确认请加 --yes。")
        try:
            manifest = restore_backup(archive, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"已恢复 {manifest['created']} 的备份：{len(manifest['files'])} 个文件校验通过。")
        )
