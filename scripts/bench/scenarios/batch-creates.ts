// Issue: batch, upsert, idempotency. 100 partners created as ONE atomic POST /res.partner/batch (one bridge call,
// one transaction, each create guarded and read back) vs 100 sequential JSON-2 creates (100 requests, 100
// transactions, ids only). One job = the 100 creates; the table's rate is jobs per second.
import type { Job } from '../load.js';
import type { BenchEnv, Scenario } from './types.js';

const CREATES = 100;
let sequence = 0;

function values(): Record<string, unknown> {
  sequence += 1;
  return { name: `bench batch ${sequence}`, email: `batch${sequence}@bench.example.com`, phone: '+32 2 555 0000', country_id: 21 };
}

export const batchCreates: Scenario = {
  name: `create ${CREATES} partners, 4 fields`,
  concurrency: [1, 4],
  baseline: {
    label: `${CREATES} sequential JSON-2 creates`,
    job: (env: BenchEnv): Job => async (send) => {
      for (let i = 0; i < CREATES; i += 1) {
        await send({ method: 'POST', path: '/json/2/res.partner/create', headers: env.odooHeaders, body: JSON.stringify({ vals_list: [values()] }) });
      }
    },
  },
  candidate: {
    label: `POST /api/v1/res.partner/batch (atomic, ${CREATES} creates)`,
    request: (env: BenchEnv) => ({
      method: 'POST',
      path: `${env.apiPrefix}/res.partner/batch?fields=name,email,phone,country_id`,
      headers: { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ atomic: true, operations: Array.from({ length: CREATES }, () => ({ op: 'create', values: values() })) }),
    }),
  },
};
