"""With TASKS_BACKEND=database, work is queued for `manage.py db_worker` instead of run inline.

Shown with a real task Wagtail queues on every page save (updating the search index),
in production settings on a fresh SQLite file, processes as an operator runs them.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

ENQUEUE = (
    "from modelsearch.tasks import insert_or_update_object_task\n"
    "from wagtail.models import Page\n"
    "result = insert_or_update_object_task.enqueue('wagtailcore', 'page', Page.objects.order_by('pk').last().pk)\n"
    "print(result.id)\n"
)
STATUS = "from django_tasks_db.models import DBTaskResult\nprint(DBTaskResult.objects.get(id='{id}').status)\n"


def test_queued_task_waits_for_the_worker_and_the_worker_runs_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "w" * 60,
            "ALLOWED_HOSTS": "localhost",
            "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "CACHE_DIR": str(tmp_path / "cache"),
            "TASKS_BACKEND": "database",
        }
    )

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""

    manage("migrate", "--noinput", "-v0")
    task_id = manage("shell", "-c", ENQUEUE)
    assert manage("shell", "-c", STATUS.format(id=task_id)) == "READY"  # queued, not run inline
    manage("db_worker", "--batch", "--no-startup-delay")
    assert manage("shell", "-c", STATUS.format(id=task_id)) == "SUCCESSFUL"
