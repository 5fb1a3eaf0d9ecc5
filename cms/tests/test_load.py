"""The short form of bench/load.py in CI: a mixed load against gunicorn loses nothing.

10 seconds of page views, searches and multipart service submissions against a throw-away
site (SQLite, or a fresh PostgreSQL database when DATABASE_URL names one); then every
accepted submission must be in the database with its files.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.xdist_group("load")


def test_short_mixed_load_has_no_errors_and_loses_no_submission(tmp_path):
    out = tmp_path / "load.json"
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--seconds", "10", "--json", str(out)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    summary = json.loads(out.read_text())
    assert summary["errors"] == []
    assert summary["accepted"] >= 1
    assert summary["checked"] == summary["accepted"]
    assert summary["lost"] == []
    assert summary["damaged"] == []
    assert summary["orphan_files"] == []
    figures = summary["figures"]
    for kind in ("page", "search", "form", "submit", "receipt"):
        assert figures[kind]["requests"] > 0, kind
    assert figures["submit"]["requests"] == summary["accepted"]
