"""Build the demo site from the seed newspaper page, idempotently.

Each app registers its loaders in its ``demo`` module (see ``cms.demo``); this
command discovers them, runs them in order inside one transaction, and rebuilds
the search index.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from cms import demo, roles


class Command(BaseCommand):
    help = "加载演示内容（可重复运行，结果相同）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample-articles",
            type=int,
            default=0,
            help="另外生成 N 篇标题以“示例”开头的样例文章（用于分页和性能测试）。",
        )
        parser.add_argument("--skip-index", action="store_true", help="不重建搜索索引。")

    def handle(self, *args, **options):
        if options["sample_articles"] < 0:
            self.stderr.write(self.style.ERROR("--sample-articles 不能为负数。"))
            raise SystemExit(2)
        autodiscover_modules("demo")
        ctx = demo.DemoContext(home=None, stdout=self.stdout, style=self.style, options=options)
        loaders = demo.loaders()
        with transaction.atomic():
            for number, loader in enumerate(loaders, start=1):
                self.stdout.write(f"[{number}/{len(loaders)}] {loader.__module__}.{loader.__name__}")
                loader(ctx)
        if not options["skip_index"]:
            self.stdout.write("重建搜索索引……")
            call_command("update_index", verbosity=1 if options["verbosity"] > 1 else 0)
        self.stdout.write(self.style.SUCCESS("演示内容已就绪。"))
        self.stdout.write(f"演示账号（密码均为 {roles.DEMO_PASSWORD}）：")
        for username, group_name, display_name in roles.DEMO_USERS:
            self.stdout.write(f"  {username:<10} {display_name}（{group_name or '超级管理员'}）")
