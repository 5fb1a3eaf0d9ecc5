#!/bin/sh
# Trim Bootstrap's CSS to the selectors this site's markup can use (PurgeCSS).
#
#   scripts/trim_bootstrap.sh      # then commit static/vendor/bootstrap/bootstrap.trimmed.min.css
#
# Run after adding Bootstrap classes to templates, Python (widget attrs, template tags)
# or JavaScript; the browser tests (e2e/) check the rendered pages. Classes the code
# builds from parts (alert-{{ colour }}, text-bg-{colour}, messages' alert-{tags}) and
# the ones Bootstrap's collapse toggles at run time are kept by the safelist below.
set -eu
cd "$(dirname "$0")/.."
SITE_PACKAGES=$(.venv/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
SRC=static/vendor/bootstrap/bootstrap.min.css
OUT=static/vendor/bootstrap/bootstrap.trimmed.min.css
CONFIG=$(mktemp --suffix=.cjs)
trap 'rm -f "$CONFIG"' EXIT
cat > "$CONFIG" <<JS
module.exports = {
  css: ["$SRC"],
  content: [
    "templates/**/*.html",
    "*/templates/**/*.html",
    "static/js/**/*.js",
    "cms/**/*.py", "home/**/*.py", "news/**/*.py", "policy/**/*.py", "services/**/*.py", "search/**/*.py",
    "$SITE_PACKAGES/crispy_bootstrap5/templates/**/*.html",
    "$SITE_PACKAGES/crispy_forms/templates/**/*.html",
  ],
  // Tailwind-style default extractor splits on quotes and spaces; keep "-" and ":" in names.
  defaultExtractor: (content) => content.match(/[A-Za-z0-9_-]+/g) || [],
  safelist: {
    standard: [
      "show", "collapse", "collapsing", "collapse-horizontal", "active", "disabled",
      "is-invalid", "is-valid", "was-validated", "invalid-feedback", "valid-feedback",
      "form-control", "form-select", "form-check", "form-check-input", "form-check-label", "form-label", "form-text",
      /^navbar/, /^nav-/, /^alert-/, /^text-bg-/, /^btn-/, /^badge/, /^visually-hidden/,
    ],
    greedy: [/^alert-/, /^text-bg-/],
  },
  keyframes: true,
  fontFace: true,
  variables: false,
};
JS
node_modules/.bin/purgecss --config "$CONFIG" --output "$OUT.tmp.d" >/dev/null
mv "$OUT.tmp.d/$(basename "$SRC")" "$OUT"
rmdir "$OUT.tmp.d"
# Keep Bootstrap's licence banner, which PurgeCSS leaves in place as the first comment.
wc -c "$SRC" "$OUT"
