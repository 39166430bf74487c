# Shared by setup.sh and run.sh: settings, the preflight checks, and how to run a command in the chroot.
# shellcheck shell=bash disable=SC2034,SC2016
# (SC2034: the settings are used by the scripts that source this; SC2016: the inner scripts expand later.)

CACHE="${FFIKIT_WINE_CACHE:-/var/cache/ffikit-wine}"
ROOT="$CACHE/trixie"
STAMP="$CACHE/stamp"
STAMP_FORMAT=1
# Pinned to package.json's "deno" and "bun" so the Windows binaries match the Linux ones
# (FFIKIT_WINE_BUN_VERSION=none skips Bun).
_pinned() { # name fallback
  local repo_root version
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  version="$(sed -n "s/^ *\"$1\": *\"\([0-9][0-9.]*\)\".*/\1/p" "$repo_root/package.json" 2>/dev/null | head -n1)"
  echo "${version:-$2}"
}
DENO_VERSION="${FFIKIT_WINE_DENO_VERSION:-$(_pinned deno 2.9.5)}"
BUN_VERSION="${FFIKIT_WINE_BUN_VERSION:-$(_pinned bun 1.4.5)}"
DEBIAN_MIRROR="${FFIKIT_WINE_MIRROR:-http://deb.debian.org/debian}"
# Free space the first build needs (chroot + Wine + prefix + binaries), and what a cached run needs.
NEED_MB_SETUP=2600
NEED_MB_RUN=200

log() { echo "wine-setup: $*" >&2; }
die() {
  echo "wine: cannot run the Windows suite: $*" >&2
  exit 2
}

# Checks what this machine must offer; exits with a plain message when it cannot.
preflight() { # needed-megabytes
  local need="$1"
  [[ "$(uname -s)" == Linux ]] || die "it needs Linux (this is $(uname -s))"
  [[ "$(uname -m)" == x86_64 ]] || die "it needs an x86-64 host (this is $(uname -m))"
  [[ "$(id -u)" == 0 ]] || die "it needs root (to build a chroot and mount in a private namespace); this is uid $(id -u)"
  command -v unshare >/dev/null || die "the 'unshare' command is missing (util-linux)"
  command -v chroot >/dev/null || die "the 'chroot' command is missing (coreutils)"
  unshare --mount --propagation private true 2>/dev/null \
    || die "'unshare --mount' is not permitted here (no CAP_SYS_ADMIN?)"
  local probe="$CACHE"
  while [[ ! -d "$probe" ]]; do probe="$(dirname "$probe")"; done
  local avail_mb
  avail_mb="$(df -Pm "$probe" | awk 'NR==2 {print $4}')"
  if [[ ! -f "$STAMP" ]] && ((avail_mb < need)); then
    die "too little disk: ${avail_mb} MB free under $probe, about ${need} MB needed (set FFIKIT_WINE_CACHE elsewhere)"
  elif ((avail_mb < NEED_MB_RUN)); then
    die "too little disk: ${avail_mb} MB free under $probe, ${NEED_MB_RUN} MB needed"
  fi
}

stamp_ok() {
  [[ -f "$STAMP" ]] && grep -qx "format=$STAMP_FORMAT" "$STAMP" && grep -qx "deno=$DENO_VERSION" "$STAMP" \
    && grep -qx "bun=$BUN_VERSION" "$STAMP" && [[ -x "$ROOT/usr/lib/wine/wine64" && -x "$ROOT/opt/deno/deno.exe" ]]
}

# Runs a command inside the chroot in a private mount namespace: /proc mounted, $1 (if not empty)
# bind-mounted read-write at /work, a clean environment, a time limit (FFIKIT_WINE_TIMEOUT seconds,
# default 900), and `wineserver -w` before leaving so that no Wine process outlives the call (leftovers
# are killed after 10 s). The command's exit status is returned (124 when it timed out).
in_chroot() { # repo-dir command...
  local repo="$1"
  shift
  unshare --mount --propagation private -- bash -c '
    root="$1"; repo="$2"; limit="$3"; shift 3
    mount -t proc proc "$root/proc" || exit 97
    mount -t tmpfs tmpfs "$root/tmp" || exit 97
    if [[ -n "$repo" ]]; then mount --bind "$repo" "$root/work" || exit 97; fi
    mount -t tmpfs tmpfs "$root/dev/shm" || exit 97
    wenv=(env -i PATH=/usr/bin:/bin HOME=/root XDG_RUNTIME_DIR=/tmp LANG=C.UTF-8 WINEPREFIX=/wineprefix
      WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" NO_COLOR=1 ${FFIKIT_WINE_ENV:-})
    status=0
    chroot "$root" "${wenv[@]}" timeout --kill-after=15 "$limit" "$@" || status=$?
    if ((status == 124 || status == 137)); then
      echo "wine: the command did not finish within $limit s (FFIKIT_WINE_TIMEOUT); it was killed" >&2
    fi
    # Wait for every Wine process of the prefix to end (the services end about 3 s after the last program),
    # but not forever: Wine 10 leaves the conhost.exe of a child process that was in a job object and was
    # terminated, so leftovers are listed and killed after 10 s.
    if ! chroot "$root" "${wenv[@]}" timeout 10 /usr/lib/wine/wineserver -w; then
      left=""
      for p in /proc/[0-9]*; do
        [[ "$(readlink "$p/root" 2>/dev/null)" == "$root" ]] || continue
        left+=" $(tr "\0" " " <"$p/cmdline" 2>/dev/null | cut -c1-60 | sed "s/ *$//");"
      done
      echo "wine: killed the Wine processes left 10 s after the command:${left}" >&2
      chroot "$root" "${wenv[@]}" /usr/lib/wine/wineserver -k || true
    fi
    exit "$status"
  ' _ "$ROOT" "$repo" "${FFIKIT_WINE_TIMEOUT:-900}" "$@"
}
