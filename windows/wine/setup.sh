#!/usr/bin/env bash
# Builds, once, and caches outside the clone everything the Windows suite needs to run under Wine:
# a Debian 13 ("trixie") chroot with Wine 10, the Windows deno.exe and, if it runs there, Bun's bun.exe.
# Later runs check a stamp file and return at once.
#
# Usage: windows/wine/setup.sh            (cache dir: $FFIKIT_WINE_CACHE, default /var/cache/ffikit-wine)
# Exit status: 0 when the cache is ready, 2 when this machine cannot build it (the reason is printed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=windows/wine/common.sh
source "$here/common.sh"

preflight "$NEED_MB_SETUP"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

if stamp_ok; then
  log "cache ready at $CACHE ($(tr '\n' ' ' <"$STAMP"))"
  exit 0
fi

# 1. The chroot: Debian 13, because Debian 12's Wine 8 makes V8 abort at start.
if [[ ! -x "$ROOT/usr/lib/wine/wine64" ]]; then
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap (apt)"
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
      || die "cannot install debootstrap with apt-get"
  fi
  if [[ ! -f "$ROOT/.debootstrap-done" ]]; then
    rm -rf "$ROOT"
    log "debootstrap trixie into $ROOT (about 20 s)"
    debootstrap --variant=minbase trixie "$ROOT" "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || die "debootstrap failed; see $CACHE/debootstrap.log"
    touch "$ROOT/.debootstrap-done"
  fi
  log "installing wine64 in the chroot (about 20-60 s)"
  # shellcheck disable=SC2016
  unshare --mount --propagation private -- bash -c '
    set -e
    mount -t proc proc "$1/proc"
    cp -L /etc/resolv.conf "$1/etc/resolv.conf" 2>/dev/null || true
    chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      apt-get update -qq
    chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends wine64 ca-certificates
    chroot "$1" apt-get clean
  ' _ "$ROOT" >"$CACHE/apt.log" 2>&1 || die "apt-get install wine64 in the chroot failed; see $CACHE/apt.log"
fi
wine_version="$(in_chroot "" /usr/lib/wine/wine64 --version 2>/dev/null | tr -d '\r' || true)"
[[ "$wine_version" == wine-10* ]] || die "the chroot's Wine is '$wine_version', expected wine-10.x"

# 2. The Windows binaries, from their npm tarballs (kept under $CACHE/npm).
fetch_exe() { # package version exe-name dest-dir
  local pkg="$1" version="$2" exe="$3" dest="$4"
  if [[ -x "$dest/$exe" && "$(cat "$dest/.version" 2>/dev/null)" == "$version" ]]; then return 0; fi
  command -v npm >/dev/null || die "npm is needed to fetch $pkg@$version (npm pack)"
  mkdir -p "$CACHE/npm" "$dest"
  log "npm pack $pkg@$version"
  local tgz
  tgz="$(cd "$CACHE/npm" && npm pack --silent "$pkg@$version" 2>"$CACHE/npm/pack.log" | tail -n1)" \
    || die "npm pack $pkg@$version failed; see $CACHE/npm/pack.log"
  local tmp="$CACHE/npm/unpack.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  tar -xzf "$CACHE/npm/$tgz" -C "$tmp"
  local found
  found="$(find "$tmp" -name "$exe" -type f | head -n1)"
  [[ -n "$found" ]] || die "$pkg@$version has no $exe"
  install -m 0755 "$found" "$dest/$exe"
  echo "$version" >"$dest/.version"
  rm -rf "$tmp" "$CACHE/npm/$tgz"
}
fetch_exe "@deno/win32-x64" "$DENO_VERSION" deno.exe "$ROOT/opt/deno"
if [[ "$BUN_VERSION" != none ]]; then
  fetch_exe "@oven/bun-windows-x64" "$BUN_VERSION" bun.exe "$ROOT/opt/bun" \
    || log "warning: could not fetch bun.exe; the suite will run on Deno only"
fi

# 3. The Wine prefix, created once here so that test runs do not pay for it (about 6 s, 1.2 GB).
mkdir -p "$ROOT/work" "$ROOT/wineprefix"
if [[ ! -f "$ROOT/wineprefix/system.reg" ]]; then
  log "creating the Wine prefix (about 10 s)"
  in_chroot "" /usr/lib/wine/wine64 /opt/deno/deno.exe --version >"$CACHE/prefix.log" 2>&1 \
    || die "deno.exe does not start under Wine; see $CACHE/prefix.log"
fi
deno_out="$(in_chroot "" /usr/lib/wine/wine64 /opt/deno/deno.exe --version 2>&1 | head -n1 | tr -d '\r')"
[[ "$deno_out" == "deno $DENO_VERSION"* ]] || die "deno.exe under Wine printed '$deno_out', expected deno $DENO_VERSION"

# 4. Does bun.exe run under this Wine? Record the answer; run.sh uses Bun only when it does.
bun_status=absent
if [[ -x "$ROOT/opt/bun/bun.exe" ]]; then
  if bun_out="$(in_chroot "" timeout 60 /usr/lib/wine/wine64 /opt/bun/bun.exe --version 2>&1 | tr -d '\r')" \
    && [[ "$(echo "$bun_out" | head -n1)" == "$BUN_VERSION"* ]]; then
    bun_status=works
  else
    bun_status=fails
    echo "$bun_out" >"$CACHE/bun-probe.log"
    log "bun.exe does not run under this Wine (see $CACHE/bun-probe.log); the suite will run on Deno only"
  fi
fi

cat >"$STAMP" <<STAMP
format=$STAMP_FORMAT
wine=$wine_version
deno=$DENO_VERSION
bun=$BUN_VERSION
bun_status=$bun_status
STAMP
log "cache ready at $CACHE ($wine_version, deno $DENO_VERSION, bun $BUN_VERSION: $bun_status)"
