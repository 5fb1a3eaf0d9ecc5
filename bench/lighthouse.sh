#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.2.3, mobile preset) on the home page, an article, the policy
# library and a service form, served by gunicorn with production settings (DEBUG off,
# whitenoise) on loopback. Prints the four category scores per page.
# Needs Node 20 and Debian's chromium; installs lighthouse into a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(cat "$work/gunicorn.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

(cd "$work" && npm install --no-audit --no-fund --loglevel=error lighthouse@12.2.3 >/dev/null)

export DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY="$(openssl rand -hex 32)"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0
export SQLITE_PATH="$work/db.sqlite3" MEDIA_ROOT="$work/media" PRIVATE_MEDIA_ROOT="$work/private"
export STATIC_ROOT="$work/static" CACHE_DIR="$work/cache" GUNICORN_BIND=127.0.0.1:8766 WEB_CONCURRENCY=2
export SERVE_MEDIA=true  # no proxy in front here; Django serves the demo images
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo -v0 >/dev/null 2>&1
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn -c gunicorn.conf.py cms.wsgi --daemon --pid "$work/gunicorn.pid" --access-logfile /dev/null
sleep 3

printf '%-34s %12s %14s %15s %5s\n' page performance accessibility best-practices seo
for path in / /news/little-giant-service-action-plan/ "/policies/?q=小巨人" /services/financing/; do
  "$work/node_modules/.bin/lighthouse" "http://127.0.0.1:8766$path" --quiet --output=json \
    --output-path="$work/report.json" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    >/dev/null 2>&1 || true
  python3 - "$path" "$work/report.json" <<'PY'
import json, sys
path, report = sys.argv[1], sys.argv[2]
try:
    categories = json.load(open(report))["categories"]
except (OSError, ValueError, KeyError):
    print(f"{path:<34} lighthouse failed"); sys.exit()
score = lambda key: round((categories[key]["score"] or 0) * 100)
print(f"{path:<34} {score('performance'):>12} {score('accessibility'):>14} {score('best-practices'):>15} {score('seo'):>5}")
PY
done
