#!/usr/bin/env bash
# npm test — every suite, in order, each one run even when an earlier one failed:
#   typecheck, unit tests, script tests (compose validation, log parsing),
#   then, when Odoo 19 is there ($ODOO_SRC/odoo/release.py): the addon's Odoo tests
#   and the integration tests against the whole stack.
# Ends with one line `N passed, N failed` counting suites; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ODOO_SRC="${ODOO_SRC:-/opt/odoo19}"
export ODOO_SRC

passed=0
failed=0
results=()

run_suite() {
  local name=$1
  shift
  local start=$SECONDS
  echo
  echo "==================== $name ===================="
  if "$@"; then
    passed=$((passed + 1))
    results+=("PASS  $name ($((SECONDS - start)) s)")
  else
    local code=$?
    failed=$((failed + 1))
    results+=("FAIL  $name (exit $code, $((SECONDS - start)) s)")
  fi
}

loud_warning() {
  cat <<WARN

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  WARNING: Odoo 19 was not found ($ODOO_SRC/odoo/release.py is missing).
!!  The Odoo tests and the integration tests were NOT run:
!!  NOTHING ABOUT THE PRODUCT (addon, bridge, API against a real Odoo) IS VERIFIED.
!!  Only the typecheck, the unit tests and the script tests ran.
!!  Set ODOO_SRC to an Odoo 19 checkout to run everything.
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

WARN
}

run_suite "typecheck" npm run --silent typecheck
run_suite "unit tests" npm run --silent test:unit
run_suite "script tests (compose validation)" npm run --silent test:scripts

odoo_present=0
if [[ -f $ODOO_SRC/odoo/release.py ]]; then
  odoo_present=1
  run_suite "odoo tests" bash scripts/odoo-tests.sh
  run_suite "integration tests" bash scripts/integration-tests.sh
else
  loud_warning
  loud_warning >&2
fi

echo
echo "==================== summary ===================="
for line in "${results[@]}"; do echo "$line"; done
if (( ! odoo_present )); then
  echo "NOT RUN  odoo tests, integration tests (Odoo not found at $ODOO_SRC: the product is NOT verified)"
fi
echo "$passed passed, $failed failed"
(( failed == 0 ))
