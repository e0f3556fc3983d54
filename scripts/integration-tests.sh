#!/usr/bin/env bash
# npm run test:integration — the whole stack up on free ports, the sidecar's
# integration tests against it, then always the stack down.
#   npm run test:integration                      all of sidecar/test/integration/*.test.ts
#   npm run test:integration -- path/to/x.test.ts just those files
# The tests find the stack through STACK_JSON (the stack.json `stack up` wrote).
# Logs of the run are kept in $STACK_DIR/integration/ (default .stack/integration/).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

# A stack of its own, so that a developer's `npm start` stack is left alone.
export STACK_DIR="${STACK_DIR:-$repo/.stack}/integration"
mkdir -p "$STACK_DIR"
stack_json="$STACK_DIR/stack.json"

shopt -s nullglob
if (( $# > 0 )); then
  files=("$@")
else
  files=(sidecar/test/integration/*.test.ts)
fi
shopt -u nullglob

stack() { node --import tsx scripts/stack.ts "$@"; }

keep_logs() {
  # stack down removes the temp folder: keep the logs for a post-mortem.
  [[ -f $stack_json ]] || return 0
  local log
  for key in odoo_log sidecar_log; do
    log=$(node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(s[process.argv[2]]||"")' "$stack_json" "$key" 2>/dev/null) || continue
    [[ -n $log && -f $log ]] && cp "$log" "$STACK_DIR/${key%_log}.log"
  done
}

cleanup() {
  keep_logs
  stack down || echo "[integration] WARNING: stack down failed" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "[integration] starting the stack" >&2
if ! stack up > "$STACK_DIR/stack-up.json"; then
  echo "[integration] ERROR: the stack did not come up; no integration test ran" >&2
  exit 1
fi

if (( ${#files[@]} == 0 )); then
  echo "[integration] the stack came up and answered /readyz; no integration test file in sidecar/test/integration/"
  exit 0
fi

echo "[integration] running ${#files[@]} file(s): ${files[*]}" >&2
STACK_JSON="$stack_json" node --import tsx --test --test-concurrency=1 "${files[@]}"
status=$?
if (( status != 0 )); then
  keep_logs
  for name in odoo sidecar; do
    if [[ -f $STACK_DIR/$name.log ]]; then
      echo "---- last lines of the $name log ($STACK_DIR/$name.log) ----"
      tail -n 60 "$STACK_DIR/$name.log"
    fi
  done
fi
exit "$status"
