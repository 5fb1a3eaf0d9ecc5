"""Backup and restore round trip onto an empty install, on SQLite or (with DATABASE_URL) PostgreSQL.

Each install is a separate database and media tree driven through manage.py in its own
process, as an operator would run it.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

SNAPSHOT = (
    "import json\n"
    "from cms.backup import row_counts, file_checksums\n"
    "print(json.dumps({'rows': row_counts(), 'files': file_checksums()}))\n"
)
ADD_PRIVATE_FILE = (
    "from django.core.files.base import ContentFile\n"
    "from django.core.files.storage import storages\n"
    "storages['private'].save('requests/示例/attachment.pdf', ContentFile(b'%PDF-1.4 demo attachment'))\n"
    "from cms.demo import placeholder_image\n"
    "placeholder_image('备份测试图片')\n"
)


class Install:
    def __init__(self, tmp_path, name):
        self.root = tmp_path / name
        self.root.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "cms.settings.test",
                "MEDIA_ROOT": str(self.root / "media"),
                "PRIVATE_MEDIA_ROOT": str(self.root / "private"),
            }
        )
        self.database = None
        url = os.environ.get("DATABASE_URL")
        if url:
            self.database = f"backup_{name}_{uuid.uuid4().hex[:8]}"
            parts = urlsplit(url)
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + self.database))
            self.pg_args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
            self.pg_args += ["-U", parts.username or "postgres"]
            subprocess.run(["createdb", *self.pg_args, self.database], check=True, timeout=60)
        else:
            self.env["SQLITE_PATH"] = str(self.root / "db.sqlite3")

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def snapshot(self):
        return json.loads(self.manage("shell", "-c", SNAPSHOT).strip().splitlines()[-1])

    def drop(self):
        if self.database:
            subprocess.run(["dropdb", *self.pg_args, "--if-exists", self.database], check=False, timeout=60)


@pytest.fixture
def installs(tmp_path):
    created = []

    def make(name):
        install = Install(tmp_path, name)
        created.append(install)
        return install

    yield make
    for install in created:
        install.drop()


def test_backup_restores_onto_an_empty_install(installs, tmp_path):
    source = installs("src")
    source.manage("migrate", "--noinput", "-v0")
    source.manage("load_demo", "--skip-index", "-v0")
    source.manage("shell", "-c", ADD_PRIVATE_FILE)
    archive = tmp_path / "snapshot.tar.gz"
    output = source.manage("backup", "--output", str(archive))
    assert "已备份到" in output
    before = source.snapshot()
    assert before["rows"]["wagtailcore.Page"] > 5
    assert any(name.startswith("private/requests/") for name in before["files"])
    assert any(name.startswith("media/original_images/") for name in before["files"])

    target = installs("dst")  # an empty install: no migrate, no demo
    output = target.manage("restore", str(archive), "--yes")
    assert "校验通过" in output
    after = target.snapshot()
    assert after["rows"] == before["rows"]
    assert after["files"] == before["files"]


def test_restore_refuses_without_confirmation_and_bad_archives(installs, tmp_path):
    target = installs("guard")
    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"not a tar file")
    env = target.env
    for args, message in [
        (["restore", str(bogus)], "--yes"),
        (["restore", str(tmp_path / "missing.tar.gz"), "--yes"], "找不到归档文件"),
    ]:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode != 0
        assert message in result.stderr
