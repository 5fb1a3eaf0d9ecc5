"""Refresh the query planner's statistics (``ANALYZE``), table by table, with progress.

SQLite keeps no statistics until it is told to, and a site that grows from the demo to
tens of thousands of pages plans its queries from whatever was last gathered. Run it
nightly from cron (docs/deploy.md). On SQLite ``PRAGMA analysis_limit`` bounds the rows
read per index, so a large site takes seconds, not minutes; PostgreSQL's autovacuum also
analyses, and this only makes the timing predictable.
"""

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

SQLITE_ANALYSIS_LIMIT = 1000  # rows per index; SQLite's own advice for routine runs is a few hundred


class Command(BaseCommand):
    help = "刷新数据库查询规划器的统计信息（ANALYZE），逐表显示进度。建议每晚运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名，默认 default。")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor, include_views=False)
            tables = sorted(name for name in names if not name.startswith("sqlite_"))  # SQLite's own
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            started = time.monotonic()
            for number, table in enumerate(tables, 1):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")  # nosec B608: names from introspection
                if options["verbosity"] >= 2:
                    self.stdout.write(f"[{number}/{len(tables)}] {table}")
                elif number % 20 == 0 or number == len(tables):
                    self.stdout.write(f"已分析 {number}/{len(tables)} 张表")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"统计信息已更新：{len(tables)} 张表，用时 {elapsed:.1f} 秒。"))
