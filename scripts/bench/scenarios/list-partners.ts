// Issue: foundation. 80 partners, 4 fields (one many2one), through the sidecar vs JSON-2 search_read.
import type { Scenario } from './types.js';

export const LIST_FIELDS = ['name', 'email', 'phone', 'country_id'];
const FIELDS = LIST_FIELDS;

export const listPartners: Scenario = {
  name: 'list 80 partners, 4 fields',
  concurrency: [1, 8],
  baseline: {
    label: 'JSON-2 search_read',
    request: (env) => ({
      method: 'POST',
      path: '/json/2/res.partner/search_read',
      headers: env.odooHeaders,
      body: JSON.stringify({ domain: [], fields: FIELDS, limit: 80 }),
    }),
  },
  candidate: {
    label: 'GET /api/v1/res.partner',
    request: (env) => ({
      method: 'GET',
      path: `${env.apiPrefix}/res.partner?limit=80&fields=${FIELDS.join(',')}`,
      headers: { authorization: `Bearer ${env.apiKey}` },
    }),
  },
};
