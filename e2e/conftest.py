"""Browser tests: Debian's Chromium driven by Playwright against a live demo site.

The site runs in its own process on a temporary SQLite file with the demo content, so
the browser sees what `make run` serves. DATABASE_URL is dropped for that process: the
browser suite never touches the test database of the rest of the run.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
NODE_MODULES = BASE_DIR / "node_modules"
ARTIFACTS = BASE_DIR / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    reason = None
    if not Path(CHROMIUM).exists():
        reason = "Debian's chromium is not installed (.ci/run installs it with apt-get)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed (requirements-dev.txt)"
    for item in items:
        # The test modules mark themselves `browser` and put themselves in one xdist group,
        # so one worker takes every browser test and one live site is built.
        if "e2e" in item.nodeid.split("/")[0] and reason:
            item.add_marker(pytest.mark.skip(reason=reason))


LIVE_ENV = {}


def live_shell(code):
    """Run Python in `manage.py shell` against the live site's database; return its last line."""
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "shell", "-c", code],
        cwd=BASE_DIR,
        env=LIVE_ENV,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"live site did not answer at {url}")


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """Base URL of a demo site served by a separate Django process."""
    workdir = tmp_path_factory.mktemp("e2e-site")
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "SQLITE_PATH": str(workdir / "e2e.sqlite3"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private-media"),
        }
    )
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"], ["load_demo", "-v0"]):
        subprocess.run([*manage, *args], cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=600)
    port = _free_port()
    log = open(workdir / "server.log", "w")  # noqa: SIM115 (closed in the finaliser)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    LIVE_ENV.update(env)
    try:
        _wait_for(base_url + "/healthz")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab; any console error (a CSP refusal, a script error) fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    axe = NODE_MODULES / "axe-core" / "axe.min.js"
    if axe.exists():
        # Injected by the DevTools protocol before any page script, so the page's CSP
        # (no inline scripts) does not block it, and stays enforced for everything else.
        context.add_init_script(path=str(axe))
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()
    # Pages that answer 400 (a form with errors) or 404 on purpose log that; nothing else may.
    deliberate = re.compile(r"^Failed to load resource: the server responded with a status of (400|404)\b")
    unexpected = [text for text in errors if not deliberate.match(text)]
    assert unexpected == [], unexpected


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) in the page; return the serious ones."""
    if not (NODE_MODULES / "axe-core" / "axe.min.js").exists():
        pytest.skip("axe-core is missing: run `make install-dev` (npm install)")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [violation for violation in result if violation["impact"] in impacts]


def vnu_errors(html_files):
    """Run the Nu HTML Checker once over several files; return {file name: [error messages]}."""
    import json

    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    java = shutil.which("java")
    if not jar.exists() or not java:
        pytest.skip("vnu-jar (npm) or java is missing")
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, html_files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = {Path(f).name: [] for f in html_files}
    for message in messages:
        if message.get("type") == "error":
            name = Path(message.get("url", "").removeprefix("file:")).name
            errors.setdefault(name, []).append(f"{message.get('lastLine')}: {message.get('message')}")
    return errors
