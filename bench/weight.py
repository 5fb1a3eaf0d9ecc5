"""Home page transfer weight against the 300 KB budget, as a 1280 px wide browser fetches it.

    .venv/bin/python bench/weight.py [--url /] [--width 1280] [--budget-kb 300]

Builds a fresh SQLite site with the demo content and collected static files, serves it with
gunicorn and the production settings (whitenoise's compressed static files), fetches the
page and every sub-resource it references (stylesheets, scripts, images; the srcset
candidate a browser of that width picks; fonts and images the stylesheets load) with
``Accept-Encoding: gzip, br``, and prints the bytes on the wire per type and the total.
Lazy-loaded images are counted too, as if the visitor scrolled to the end.
"""

import argparse
import re
import shutil
import sys
import tempfile
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import build_site, site_env, start

HEADERS = {"Accept-Encoding": "gzip, br", "Accept": "image/avif,image/webp,*/*", "User-Agent": "bench-weight"}
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf")


def fetch(url):
    """(bytes on the wire, content type) for ``url``, compressed as the server sends it."""
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request) as response:  # nosec B310 - loopback only
        body = response.read()  # urllib does not decompress: this is the transfer size
        return len(body), response.headers.get("Content-Type", ""), response.headers.get("Content-Encoding", "")


def slot_width(sizes, viewport):
    """The px width a ``sizes`` attribute gives at this viewport width (DPR 1)."""
    if not sizes:
        return viewport
    for entry in sizes.split(","):
        entry = entry.strip()
        match = re.match(r"^\((min|max)-width:\s*(\d+)px\)\s*(.+)$", entry)
        if match:
            kind, limit, length = match.group(1), int(match.group(2)), match.group(3)
            if (kind == "min" and viewport < limit) or (kind == "max" and viewport > limit):
                continue
        else:
            length = entry
        if length.endswith("vw"):
            return viewport * float(length[:-2]) / 100
        if length.endswith("px"):
            return float(length[:-2])
    return viewport


def pick_candidate(srcset, sizes, viewport):
    """The srcset candidate a browser at ``viewport`` px picks: the narrowest that fills the slot."""
    candidates = []
    for part in srcset.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        descriptor = bits[1] if len(bits) > 1 else "1x"
        if descriptor.endswith("w"):
            candidates.append((int(descriptor[:-1]), bits[0]))
        elif descriptor == "1x":
            candidates.append((0, bits[0]))
    if not candidates:
        return None
    wanted = slot_width(sizes, viewport)
    wide_enough = sorted(c for c in candidates if c[0] >= wanted)
    return (wide_enough[0] if wide_enough else max(candidates))[1]


class Resources(HTMLParser):
    """Stylesheets, scripts and the image each <img>/<picture> makes the browser fetch."""

    def __init__(self, viewport):
        super().__init__()
        self.viewport = viewport
        self.found = []  # (type, url)
        self.picture_source = None
        self.in_picture = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.found.append(("css", a["href"]))
        elif tag == "link" and (a.get("rel") or "") == "preload" and a.get("href"):
            self.found.append((a.get("as") or "other", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("js", a["src"]))
        elif tag == "picture":
            self.in_picture, self.picture_source = True, None
        elif tag == "source" and self.in_picture and self.picture_source is None and a.get("srcset"):
            # Chromium supports AVIF and WebP: the first <source> wins.
            self.picture_source = pick_candidate(a["srcset"], a.get("sizes"), self.viewport)
        elif tag == "img":
            url = self.picture_source if self.in_picture and self.picture_source else None
            if url is None and a.get("srcset"):
                url = pick_candidate(a["srcset"], a.get("sizes"), self.viewport)
            url = url or a.get("src")
            if url and not url.startswith("data:"):
                self.found.append(("image", url))

    def handle_endtag(self, tag):
        if tag == "picture":
            self.in_picture, self.picture_source = False, None


def css_references(css_text):
    """Fonts and images a stylesheet loads with url(...), data: URIs left out."""
    for match in re.finditer(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css_text):
        url = match.group(1)
        if not url.startswith("data:") and not url.startswith("#"):
            yield ("font" if url.lower().split("?")[0].endswith(FONT_EXTENSIONS) else "image"), url


def measure(base, path, viewport):
    page_url = base + path
    totals = {"html": 0, "css": 0, "js": 0, "image": 0, "font": 0}
    rows = []
    size, _type, encoding = fetch(page_url)
    totals["html"] += size
    rows.append(("html", path, size, encoding))
    request = urllib.request.Request(page_url)
    with urllib.request.urlopen(request) as response:  # nosec B310 - loopback only
        html = response.read().decode()
    parser = Resources(viewport)
    parser.feed(html)
    seen = set()
    queue = [(kind, urljoin(page_url, url)) for kind, url in parser.found]
    while queue:
        kind, url = queue.pop(0)
        if url in seen or not url.startswith(base):
            continue  # third-party requests would show here as missing from the total
        seen.add(url)
        size, _content_type, encoding = fetch(url)
        kind = "font" if kind == "font" or url.endswith(FONT_EXTENSIONS) else kind
        totals[kind if kind in totals else "image"] += size
        rows.append((kind, url[len(base) :], size, encoding))
        if kind == "css":
            with urllib.request.urlopen(url) as response:  # nosec B310 - loopback only
                css = response.read().decode()
            queue.extend((ref_kind, urljoin(url, ref)) for ref_kind, ref in css_references(css))
    return totals, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="/")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--budget-kb", type=int, default=300)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-weight-"))
    env = {**site_env(workdir), "SERVE_MEDIA": "true"}
    prod = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    print(f"building the site in {workdir}…", flush=True)
    build_site(prod)
    process, base = start(env, "cms.settings.production", 0)
    try:
        fetch(base + args.url)  # the first view creates the image renditions
        totals, rows = measure(base, args.url, args.width)
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\n{args.url} at {args.width} px, Accept-Encoding: gzip, br\n")
    print(f"{'type':<6} {'bytes':>9} {'encoding':<9} resource")
    for kind, url, size, encoding in rows:
        print(f"{kind:<6} {size:>9} {encoding or '-':<9} {url}")
    total = sum(totals.values())
    print()
    for kind, size in totals.items():
        print(f"{kind:<6} {size / 1024:>8.1f} KB")
    verdict = "within" if total <= args.budget_kb * 1024 else "OVER"
    print(f"total  {total / 1024:>8.1f} KB  ({verdict} the {args.budget_kb} KB budget)")


if __name__ == "__main__":
    main()
