# shellcheck shell=bash
# Shared helpers for scripts/start and scripts/test. Source it, do not run it:
#
#   GSC_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
#   . "$GSC_ROOT/scripts/lib.sh"
#
# After gsc_prepare the following are set:
#   GSC_ADDONS     the --addons-path value
#   GSC_DB_ARGS    array of --db_host/--db_port/--db_user options for Odoo
#   GSC_ODOO       array: the command that runs Odoo (python3 -m odoo)
#   PGHOST/PGPORT/PGUSER exported for psycopg2 (and psql) in this script
#
# Environment variables:
#   GSC_DB=embedded  skip the configured PostgreSQL server and always use the
#                    private cluster under .local/pgdata (port GSC_PG_PORT)
#   GSC_PG_PORT      port of the private cluster (default 54329)
#   GSC_PYTHON       Python interpreter that has Odoo 18 (default python3)
#   PGHOST/PGPORT/PGUSER/PGPASSWORD  the PostgreSQL server to use
#                    (default localhost:5432, current OS user)

: "${GSC_ROOT:?GSC_ROOT must be set before sourcing lib.sh}"
GSC_MODULE=gov_service_center
GSC_LOCAL="$GSC_ROOT/.local"
GSC_PY="${GSC_PYTHON:-python3}"
GSC_ODOO=("$GSC_PY" -m odoo)
GSC_PG_PORT="${GSC_PG_PORT:-54329}"
GSC_PG_SYSUSER=gscpg

gsc_log() { printf '[gsc] %s\n' "$*" >&2; }
gsc_warn() { printf '[gsc] WARNING: %s\n' "$*" >&2; }
gsc_die() { printf '[gsc] ERROR: %s\n' "$*" >&2; exit 1; }
gsc_is_root() { [ "$(id -u)" = 0 ]; }
gsc_can_apt() { gsc_is_root && command -v apt-get >/dev/null 2>&1; }

# 1. Odoo 18.0 must be importable as `odoo`.
gsc_check_odoo() {
    local ver
    ver="$("$GSC_PY" -c 'import odoo.release as r; print(r.version)' 2>/dev/null)" || ver=""
    case "$ver" in
        18.0*) ;;
        *)
            echo "Odoo 18.0 is required${ver:+ (found $ver)}: install Odoo 18.0 Community so that 'python3 -c \"import odoo\"' works (e.g. pip install -e /path/to/odoo-18.0)" >&2
            exit 1
            ;;
    esac
}

# 2. Addons path: Odoo's two addons folders + a folder outside the repository
#    holding gov_service_center -> <repository root>. The link must live outside
#    the repository: Odoo follows links when it scans modules for terms, and a
#    link inside the repository pointing to its root would loop.
gsc_setup_addons() {
    local key dir link odoo_pkg odoo_root
    key="$(printf '%s' "$GSC_ROOT" | cksum | cut -d' ' -f1)"
    dir="${XDG_CACHE_HOME:-$HOME/.cache}/gov_service_center/addons-$key"
    link="$dir/$GSC_MODULE"
    mkdir -p "$dir"
    if [ "$(readlink "$link" 2>/dev/null || true)" != "$GSC_ROOT" ]; then
        rm -rf "$link"
        ln -s "$GSC_ROOT" "$link"
    fi
    # links of older checkouts inside the repository would loop: drop them
    if [ -L "$GSC_LOCAL/addons/$GSC_MODULE" ]; then
        rm -f "$GSC_LOCAL/addons/$GSC_MODULE"
    fi
    odoo_pkg="$("$GSC_PY" -c 'import os, odoo; print(os.path.dirname(os.path.abspath(odoo.__file__)))')"
    odoo_root="$(dirname "$odoo_pkg")"
    GSC_ADDONS=""
    if [ -d "$odoo_root/addons" ]; then
        GSC_ADDONS="$odoo_root/addons,"
    fi
    GSC_ADDONS="$GSC_ADDONS$odoo_pkg/addons,$dir"
    [ -f "$GSC_ROOT/__manifest__.py" ] || gsc_warn "no __manifest__.py in $GSC_ROOT yet"
}

# 3. Python packages beyond Odoo's own (comment-only requirements.txt = nothing).
gsc_setup_python() {
    local req="$GSC_ROOT/requirements.txt"
    if [ -f "$req" ] && grep -qvE '^[[:space:]]*(#.*)?$' "$req"; then
        PIP_ROOT_USER_ACTION=ignore "$GSC_PY" -m pip install -q --disable-pip-version-check -r "$req" \
            || gsc_die "pip install -r requirements.txt failed"
    fi
}

# 4. wkhtmltopdf (PDF reports) and a CJK font (Chinese glyphs in PDFs).
gsc_setup_pdf() {
    local have_font=""
    if command -v fc-list >/dev/null 2>&1; then
        have_font="$(fc-list :lang=zh 2>/dev/null | head -n 1 || true)"
    fi
    if command -v wkhtmltopdf >/dev/null 2>&1 && [ -n "$have_font" ]; then
        return 0
    fi
    if gsc_can_apt; then
        gsc_log "installing wkhtmltopdf and fonts-wqy-microhei (apt-get)"
        if ! { apt-get update -qq >/dev/null &&
               DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                   wkhtmltopdf fonts-wqy-microhei >/dev/null; }; then
            gsc_warn "apt-get install wkhtmltopdf fonts-wqy-microhei failed; PDF reports may be missing or lack Chinese glyphs"
        fi
    else
        gsc_warn "wkhtmltopdf and/or a Chinese font (fc-list :lang=zh) missing; install wkhtmltopdf and fonts-wqy-microhei for PDF reports"
    fi
}

# Chromium (browser tests: HttpCase.browser_js / start_tour, and
#    scripts/screenshots) and axe-core (accessibility checks of the public
#    pages), pinned, under .local/node. Odoo looks for google-chrome, chromium,
#    chromium-browser or google-chrome-stable in PATH; without one the browser
#    tests are skipped, so the check is loud.
GSC_AXE_VERSION=4.10.3
GSC_AXE_JS="$GSC_LOCAL/node/node_modules/axe-core/axe.min.js"
gsc_chrome_path() {
    local bin_
    for bin_ in google-chrome chromium chromium-browser google-chrome-stable; do
        if command -v "$bin_" >/dev/null 2>&1; then
            command -v "$bin_"
            return 0
        fi
    done
    return 1
}
gsc_setup_browser() {
    if ! gsc_chrome_path >/dev/null; then
        if gsc_can_apt; then
            gsc_log "installing chromium and chromium-driver (apt-get)"
            if ! { apt-get update -qq >/dev/null &&
                   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                       chromium chromium-driver >/dev/null; }; then
                gsc_warn "apt-get install chromium chromium-driver failed; browser tests will be skipped"
            fi
        else
            gsc_warn "no Chrome/Chromium in PATH: browser tests will be skipped (install the chromium package)"
        fi
    fi
    local have=""
    [ -f "$GSC_AXE_JS" ] && have="$(sed -nE 's/.*"version": *"([^"]+)".*/\1/p' \
        "$GSC_LOCAL/node/node_modules/axe-core/package.json" 2>/dev/null | head -n 1)"
    if [ "$have" != "$GSC_AXE_VERSION" ]; then
        if ! command -v npm >/dev/null 2>&1 && gsc_can_apt; then
            gsc_log "installing npm (apt-get)"
            { apt-get update -qq >/dev/null &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; } \
                || gsc_warn "apt-get install npm failed"
        fi
        if command -v npm >/dev/null 2>&1; then
            gsc_log "installing axe-core@$GSC_AXE_VERSION in .local/node (npm)"
            mkdir -p "$GSC_LOCAL/node"
            npm install --silent --no-audit --no-fund --no-save --prefix "$GSC_LOCAL/node" \
                "axe-core@$GSC_AXE_VERSION" >/dev/null \
                || gsc_warn "npm install axe-core@$GSC_AXE_VERSION failed; accessibility tests will be skipped"
        else
            gsc_warn "npm missing: accessibility tests will be skipped (install npm)"
        fi
    fi
    # the tests read the script from here (tests/test_browser_accessibility.py)
    export GSC_AXE_JS
}

# Can we open a connection with the current PG* environment?
gsc_pg_ping() {
    "$GSC_PY" - <<'PY' 2>/dev/null
import psycopg2
psycopg2.connect(dbname="postgres", connect_timeout=5).close()
PY
}

# Run a PostgreSQL server binary as the cluster owner (initdb refuses root).
gsc_pg_as_owner() {
    if gsc_is_root; then
        (cd / && runuser -u "$GSC_PG_SYSUSER" -- "$@")
    else
        "$@"
    fi
}

# Directory holding initdb and pg_ctl (preferring the cluster's own version).
gsc_pg_bindir() {
    local want="" d
    [ -f "$GSC_LOCAL/pgdata/PG_VERSION" ] && want="$(cat "$GSC_LOCAL/pgdata/PG_VERSION")"
    if [ -n "$want" ] && [ -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]; then
        echo "/usr/lib/postgresql/$want/bin"
        return 0
    fi
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -Vr); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    return 1
}

# Private cluster under .local/pgdata, superuser `odoo`, trust auth,
# 127.0.0.1:$GSC_PG_PORT plus a socket in .local/pgsock. Reused when present.
gsc_pg_embedded() {
    local pgdata="$GSC_LOCAL/pgdata" sock="$GSC_LOCAL/pgsock" bindir sockline
    bindir="$(gsc_pg_bindir)" || {
        if gsc_can_apt; then
            gsc_log "installing PostgreSQL (apt-get)"
            apt-get update -qq >/dev/null || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
                || gsc_die "apt-get install postgresql failed"
            bindir="$(gsc_pg_bindir)" || gsc_die "initdb/pg_ctl not found after installing postgresql"
        else
            gsc_die "no PostgreSQL server answers and initdb/pg_ctl are not installed: install PostgreSQL or set PGHOST/PGPORT/PGUSER/PGPASSWORD"
        fi
    }
    mkdir -p "$pgdata" "$sock"
    chmod 700 "$pgdata"
    if gsc_is_root; then
        if ! id -u "$GSC_PG_SYSUSER" >/dev/null 2>&1; then
            useradd -r -M -s /usr/sbin/nologin "$GSC_PG_SYSUSER" \
                || gsc_die "could not create system user $GSC_PG_SYSUSER"
        fi
        chown -R "$GSC_PG_SYSUSER:" "$pgdata" "$sock"
        runuser -u "$GSC_PG_SYSUSER" -- test -w "$pgdata" \
            || gsc_die "user $GSC_PG_SYSUSER cannot reach $pgdata (a parent folder is not world-searchable); set PGHOST/PGPORT/PGUSER to an existing server instead"
    fi
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        gsc_log "creating private PostgreSQL cluster in $pgdata"
        find "$pgdata" -mindepth 1 -delete
        gsc_pg_as_owner "$bindir/initdb" -D "$pgdata" -U odoo --auth=trust -E UTF8 --no-locale \
            >"$GSC_LOCAL/pg-initdb.log" 2>&1 \
            || { cat "$GSC_LOCAL/pg-initdb.log" >&2; gsc_die "initdb failed"; }
        echo "include_if_exists = 'gsc.conf'" >>"$pgdata/postgresql.conf"
    fi
    # Unix socket paths are limited to ~107 bytes: use TCP only for deep checkouts.
    sockline="unix_socket_directories = '$sock'"
    if [ "${#sock}" -gt 90 ]; then
        sockline="unix_socket_directories = ''"
    fi
    printf '%s\n' "port = $GSC_PG_PORT" "listen_addresses = '127.0.0.1'" "$sockline" \
        "synchronous_commit = off" >"$pgdata/gsc.conf"
    if gsc_is_root; then chown "$GSC_PG_SYSUSER:" "$pgdata/gsc.conf"; fi
    if ! gsc_pg_as_owner "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        gsc_log "starting private PostgreSQL on 127.0.0.1:$GSC_PG_PORT"
        gsc_pg_as_owner "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start >/dev/null \
            || { tail -n 20 "$pgdata/server.log" >&2 || true; gsc_die "could not start the private PostgreSQL cluster (port $GSC_PG_PORT busy?)"; }
    fi
    export PGHOST=127.0.0.1 PGPORT="$GSC_PG_PORT" PGUSER=odoo
    gsc_pg_ping || gsc_die "private PostgreSQL cluster does not accept connections on 127.0.0.1:$GSC_PG_PORT"
}

# Stop the private cluster (used by hand: scripts/lib.sh has no CLI).
gsc_pg_embedded_stop() {
    local bindir
    [ -f "$GSC_LOCAL/pgdata/PG_VERSION" ] || return 0
    bindir="$(gsc_pg_bindir)" || return 0
    gsc_pg_as_owner "$bindir/pg_ctl" -D "$GSC_LOCAL/pgdata" -m fast -w stop >/dev/null 2>&1 || true
}

# 5. Database server: the configured one if it answers, else the private one.
gsc_setup_db() {
    if [ "${GSC_DB:-}" != embedded ]; then
        export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}"
        if gsc_pg_ping; then
            :
        else
            gsc_warn "no usable PostgreSQL server at $PGHOST:$PGPORT; using a private cluster in .local/pgdata"
            unset PGHOST PGPORT
            gsc_pg_embedded
        fi
    else
        gsc_pg_embedded
    fi
    # The password (if any) reaches Odoo through PGPASSWORD, not the command line.
    GSC_DB_ARGS=(--db_host="$PGHOST" --db_port="$PGPORT")
    if [ -n "${PGUSER:-}" ]; then
        GSC_DB_ARGS+=(--db_user="$PGUSER")
    fi
}

gsc_prepare() {
    gsc_check_odoo
    gsc_setup_addons
    gsc_setup_python
    gsc_setup_pdf
    gsc_setup_db
}

gsc_db_exists() {
    "$GSC_PY" - "$1" <<'PY'
import sys, psycopg2
cnx = psycopg2.connect(dbname="postgres", connect_timeout=10)
cr = cnx.cursor()
cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
sys.exit(0 if cr.fetchone() else 1)
PY
}

# Drop a database and its filestore; silent and never fails.
gsc_db_drop() {
    local fs
    "$GSC_PY" - "$1" <<'PY' >/dev/null 2>&1 || true
import sys, psycopg2
from psycopg2 import sql
cnx = psycopg2.connect(dbname="postgres", connect_timeout=10)
cnx.autocommit = True
cr = cnx.cursor()
name = sys.argv[1]
if cnx.server_version >= 130000:
    cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
else:
    cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
PY
    fs="$("$GSC_PY" -c 'import sys; from odoo.tools import config; config.parse_config([]); print(config.filestore(sys.argv[1]))' "$1" 2>/dev/null)" \
        || fs="$HOME/.local/share/Odoo/filestore/$1"
    case "$fs" in */filestore/?*) rm -rf "$fs" ;; esac
}

# Comma-separated `depends` of the module's manifest (base if empty).
gsc_manifest_depends() {
    "$GSC_PY" - "$GSC_ROOT/__manifest__.py" <<'PY'
import ast, sys
with open(sys.argv[1], encoding="utf-8") as f:
    manifest = ast.literal_eval(f.read())
print(",".join(manifest.get("depends") or ["base"]))
PY
}
