#!/usr/bin/env bash
# Runs docs/deploy.md's single-server recipe as far as one machine allows: gunicorn with
# production settings behind nginx with TLS (a self-signed certificate), on loopback ports.
# Needs Debian's nginx (apt-get install nginx-light) and openssl. Usage: scripts/nginx_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(cat "$work/gunicorn.pid" 2>/dev/null) 2>/dev/null || true; nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT

export DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY="$(openssl rand -hex 32)"
export ALLOWED_HOSTS=localhost CSRF_TRUSTED_ORIGINS=https://localhost:8443
export SQLITE_PATH="$work/db.sqlite3" MEDIA_ROOT="$work/media" PRIVATE_MEDIA_ROOT="$work/private"
export STATIC_ROOT="$work/static" CACHE_DIR="$work/cache" GUNICORN_BIND=127.0.0.1:8765 WEB_CONCURRENCY=2
export TRUSTED_PROXY_COUNT=1
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo -v0 >/dev/null 2>&1
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn -c gunicorn.conf.py cms.wsgi --daemon --pid "$work/gunicorn.pid" --access-logfile /dev/null

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:8443 ssl;
        server_name localhost;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        client_max_body_size 60m;
        location /media/ { alias $MEDIA_ROOT/; expires 30d; }
        location / {
            proxy_pass http://127.0.0.1:8765;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
}
CONF
chmod -R a+rX "$work"  # nginx workers run as an unprivileged user, like www-data on a server
nginx -c "$work/nginx.conf"
sleep 2
fail=0
check() {  # expected status, path
  status=$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:8443$2")
  printf '  %s %s\n' "$status" "$2"
  [ "$status" = "$1" ] || fail=1
}
check 200 /
check 200 /news/
check 200 /healthz
check 200 /static/vendor/bootstrap/bootstrap.min.css
check 200 "/media/$(cd "$MEDIA_ROOT" && find original_images -type f | head -n 1)"
check 404 /private/
hsts=$(curl -skI https://localhost:8443/ | grep -i '^strict-transport-security' || true)
echo "  $hsts"
[ -n "$hsts" ] || fail=1
[ "$fail" = 0 ] && echo "nginx-check: OK" || { echo "nginx-check: FAILED"; exit 1; }
