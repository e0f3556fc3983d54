#!/usr/bin/env bash
# npm run test:odoo — the addon's Odoo tests on a throwaway database (logic in odoo-tests.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec node --import tsx scripts/odoo-tests.ts "$@"
