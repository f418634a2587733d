#!/usr/bin/env bash
# Starts the installed Punchcard once, the way a user would after installing
# the package: the window must appear, the practice file must be created, and
# the installed `punchcard check` must find it whole. Run under Xvfb.
set -euo pipefail
app="$1"
dir=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
fail() { echo "install check: $*" >&2; exit 1; }
[ -x "$app" ] || fail "not installed: $app"
entry=/usr/share/applications/Punchcard.desktop
[ -f "$entry" ] || fail "no desktop entry at $entry"
grep -q "^Exec=punchcard" "$entry" || fail "the desktop entry does not start punchcard"
XDG_DATA_HOME="$dir/data" "$app" --db "$dir/practice.sqlite3" >"$dir/app.log" 2>&1 &
pid=$!
# The main window shows up within a minute (it usually takes a second).
found=""
for _ in $(seq 600); do
  kill -0 "$pid" 2>/dev/null || { cat "$dir/app.log" >&2; fail "the installed app exited at start"; }
  if xdotool search --onlyvisible --name "^Punchcard$" >/dev/null 2>&1; then found=yes; break; fi
  sleep 0.1
done
[ -n "$found" ] || fail "no Punchcard window within a minute"
# The window can show before the new practice's first transaction commits:
# wait until the file checks whole while the app has it open (a file killed
# half set up is finished by the next start, but would not check whole yet).
ready=""
for _ in $(seq 600); do
  if [ -s "$dir/practice.sqlite3" ] && "$app" check "$dir/practice.sqlite3" >/dev/null 2>&1; then ready=yes; break; fi
  sleep 0.1
done
[ -f "$dir/practice.sqlite3" ] || fail "no practice file was created"
[ -n "$ready" ] || { "$app" check "$dir/practice.sqlite3" || true; fail "the practice file did not check whole within a minute"; }
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""
"$app" check "$dir/practice.sqlite3" || fail "the new practice file does not check whole"
echo "installed app: started, opened its window, created a practice file that checks whole"
