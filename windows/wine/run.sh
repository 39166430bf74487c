#!/usr/bin/env bash
# Runs the Windows test files with the Windows builds of Deno (and Bun, when it runs under this Wine)
# under Wine 10, in a Debian 13 chroot cached outside the clone (see setup.sh), in a private mount
# namespace with the repository bind-mounted at /work.
#
# Usage: windows/wine/run.sh [--deno-only | --bun-only] [--check] [FILE_OR_DIR ...]
#   FILE_OR_DIR   repo-relative test files (default: tests/windows/), e.g. an ffi probe file
#   --check       type-check under Wine too (default --no-check: the Linux `deno check` covers types)
#   --raw CMD...  run deno.exe with these arguments instead of `test` (e.g. --raw run -A probe.ts)
# Exit status: 0 when every runtime's suite passed; 1 when a test failed; 2 when the suite could not run
# (no root, no unshare, too little disk, Wine or deno.exe broken). A suite that did not run is not a pass.
# The last line is the summary: "ok | N passed | N failed" or "FAILED | N passed | N failed".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=windows/wine/common.sh
source "$here/common.sh"

runtimes=(deno bun)
check=(--no-check)
raw=()
files=()
while (($#)); do
  case "$1" in
    --deno-only) runtimes=(deno) ;;
    --bun-only) runtimes=(bun) ;;
    --check) check=() ;;
    --raw) shift; raw=("$@"); break ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) files+=("$1") ;;
  esac
  shift
done
((${#files[@]})) || files=(tests/windows/)
for f in "${files[@]}"; do
  [[ -e "$repo/$f" ]] || die "no such test file or directory in the repo: $f"
done

start=$SECONDS
"$here/setup.sh" || exit 2
preflight "$NEED_MB_RUN"
# One run at a time: concurrent runs would start two wineservers on the same prefix.
exec 8>"$CACHE/.run.lock"
if ! flock -n 8; then
  echo "wine: waiting for another run of the Windows suite to finish ($CACHE/.run.lock)" >&2
  flock 8
fi

wine=/usr/lib/wine/wine64
# deno.exe links itself as node.exe for child processes; under Wine it leaves a 93 MB copy per attempt.
rm -f "$ROOT"/wineprefix/drive_c/users/*/AppData/Local/deno/node_compat_bin/node.exe.tmp-* 2>/dev/null || true
if ((${#raw[@]})); then
  in_chroot "$repo" bash -c 'cd /work && exec "$@"' _ "$wine" /opt/deno/deno.exe "${raw[@]}"
  exit $?
fi

bun_status="$(sed -n 's/^bun_status=//p' "$STAMP")"
total_passed=0
total_failed=0
overall=0
summaries=()
for rt in "${runtimes[@]}"; do
  log_file="$(mktemp)"
  if [[ "$rt" == deno ]]; then
    # --expose-gc: the tests of what the garbage collector may and may not close force collections.
    cmd=("$wine" /opt/deno/deno.exe test -A --v8-flags=--expose-gc "${check[@]}" "${files[@]}")
  else
    if [[ "$bun_status" != works ]]; then
      echo "wine: bun.exe does not run under this Wine ($bun_status); the suite ran on deno.exe only" >&2
      continue
    fi
    cmd=("$wine" /opt/bun/bun.exe test --timeout 60000 "${files[@]/#/./}")
  fi
  echo "== $rt.exe under $(sed -n 's/^wine=//p' "$STAMP"): ${files[*]}"
  status=0
  in_chroot "$repo" bash -c 'cd /work && exec "$@"' _ "${cmd[@]}" 2>&1 | tr -d '\r' | tee "$log_file" \
    || status=$?
  # Count what the runner reported; a run that reported nothing did not run.
  if [[ "$rt" == deno ]]; then
    line="$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$log_file" | tail -n1 || true)"
    passed="$(sed -nE 's/.*\| ([0-9]+) passed.*/\1/p' <<<"$line")"
    failed="$(sed -nE 's/.*\| ([0-9]+) failed.*/\1/p' <<<"$line")"
  else
    passed="$(sed -nE 's/^ *([0-9]+) pass$/\1/p' "$log_file" | tail -n1)"
    failed="$(sed -nE 's/^ *([0-9]+) fail$/\1/p' "$log_file" | tail -n1)"
  fi
  rm -f "$log_file"
  if [[ -z "$passed" || -z "$failed" ]]; then
    echo "wine: $rt.exe did not report a test summary (exit status $status): the suite did not run" >&2
    overall=2
    summaries+=("$rt.exe: did not run")
    continue
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  summaries+=("$rt.exe: $passed passed, $failed failed")
  if ((failed > 0 || status != 0)) && ((overall == 0)); then overall=1; fi
done

((total_passed + total_failed > 0)) || { echo "wine: no Windows test ran" >&2; overall=2; }
verdict=ok
((overall == 0)) || verdict=FAILED
echo "windows suite under Wine: $(printf '%s; ' "${summaries[@]}")$((SECONDS - start)) s"
echo "$verdict | $total_passed passed | $total_failed failed"
exit "$overall"
