// Issue: REST core writes. Create one partner (4 fields, one many2one) through the sidecar vs JSON-2 create.
// The sidecar also checks the scope guard and answers the record (read back with the same 4 fields) in the
// same bridge call; JSON-2 answers the new id only.
import type { BenchEnv, Scenario } from './types.js';

let sequence = 0;

function values(): Record<string, unknown> {
  sequence += 1;
  return { name: `bench create ${sequence}`, email: `create${sequence}@bench.example.com`, phone: '+32 2 555 0000', country_id: 21 };
}

export const createPartner: Scenario = {
  name: 'create 1 partner, 4 fields',
  concurrency: [1, 8],
  baseline: {
    label: 'JSON-2 create',
    request: (env: BenchEnv) => ({
      method: 'POST',
      path: '/json/2/res.partner/create',
      headers: env.odooHeaders,
      body: JSON.stringify({ vals_list: [values()] }),
    }),
  },
  candidate: {
    label: 'POST /api/v1/res.partner',
    request: (env: BenchEnv) => ({
      method: 'POST',
      path: `${env.apiPrefix}/res.partner?fields=name,email,phone,country_id`,
      headers: { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(values()),
    }),
  },
};
