"""Consistent snapshots of the database and the media files, and their restoration.

An archive is a gzipped tar holding:
  manifest.json   format version, time, database engine, row counts, file checksums
  database.sqlite3 or database.pgdump   the engine's own consistent snapshot
  media/...        public media (images, documents)
  private/...      private media (service-request attachments)

The database is dumped first with the engine's own tools (SQLite's online backup API,
pg_dump's snapshot), then the files: a file written after the snapshot is harmless, and
every file the snapshot refers to already existed when it was taken.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _engine(alias="default"):
    engine = settings.DATABASES[alias]["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库引擎：{engine}")


def _pg_env_and_args(alias="default"):
    db = settings.DATABASES[alias]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return env, args, db["NAME"]


def row_counts():
    """Rows per model, for the manifest and for comparing a restore with its source."""
    counts = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.label] = model._default_manager.using("default").count()
    return counts


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_roots():
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def file_checksums():
    checksums = {}
    for prefix, root in _file_roots().items():
        if not root.exists():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            checksums[f"{prefix}/{path.relative_to(root).as_posix()}"] = _sha256(path)
    return checksums


def create_backup(output, log=print):
    """Write a snapshot archive to ``output`` (a .tar.gz path) and return its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        log("1/3 数据库快照……")
        if engine == "sqlite":
            dump = workdir / "database.sqlite3"
            connection = connections["default"]
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        else:
            dump = workdir / "database.pgdump"
            env, args, name = _pg_env_and_args()
            subprocess.run(  # noqa: S603  # nosec B603 B607
                ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(dump), name],  # noqa: S607
                env=env,
                check=True,
                timeout=3600,
            )
        counts = row_counts()
        log("2/3 文件校验……")
        checksums = file_checksums()
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(),
            "engine": engine,
            "database_file": dump.name,
            "rows": counts,
            "files": checksums,
        }
        log(f"3/3 写入归档（{len(checksums)} 个文件）……")
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for prefix, root in _file_roots().items():
                for relative in (name.split("/", 1)[1] for name in checksums if name.startswith(prefix + "/")):
                    archive.add(root / relative, arcname=f"{prefix}/{relative}")
        partial.replace(output)  # never leave a truncated archive under the final name
    return manifest


def read_manifest(archive_path):
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile("manifest.json")
        if member is None:
            raise BackupError("归档中没有 manifest.json。")
        manifest = json.load(member)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def restore_backup(archive_path, log=print):
    """Restore an archive onto this install's database and media roots; verify the files."""
    manifest = read_manifest(archive_path)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {engine}。")
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(workdir, filter="data")
        log("1/2 恢复数据库……")
        dump = workdir / manifest["database_file"]
        connections.close_all()
        if engine == "sqlite":
            target = Path(settings.DATABASES["default"]["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            source = sqlite3.connect(dump)
            destination = sqlite3.connect(target)
            with destination:
                source.backup(destination)
            source.close()
            destination.close()
        else:
            env, args, name = _pg_env_and_args()
            subprocess.run(  # noqa: S603  # nosec B603 B607
                ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d", name, str(dump)],  # noqa: S607
                env=env,
                check=True,
                timeout=3600,
            )
        log("2/2 恢复文件……")
        for prefix, root in _file_roots().items():
            source = workdir / prefix
            if source.exists():
                root.mkdir(parents=True, exist_ok=True)
                shutil.copytree(source, root, dirs_exist_ok=True)
    restored = file_checksums()
    missing = [name for name, digest in manifest["files"].items() if restored.get(name) != digest]
    if missing:
        raise BackupError(f"{len(missing)} 个文件校验失败，例如 {missing[0]}")
    return manifest
