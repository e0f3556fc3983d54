// Issue: REST core. 80 partners with their country, tags and contacts expanded, in one sidecar call,
// against the JSON-2 calls a client would otherwise make in sequence (search_read, then read of each
// related model), asking for the same fields as the sidecar's default set.
import type { Send } from '../load.js';
import type { BenchEnv, Scenario } from './types.js';

const RELATIONS = { country_id: 'res.country', category_id: 'res.partner.category', child_ids: 'res.partner' } as const;
const fieldSets = new Map<string, string[]>();

interface FieldInfo {
  type: string;
  stored: boolean;
}

/** The sidecar's default field set (docs/decisions.md D3), learned from GET /{model}/fields. */
async function defaultFields(env: BenchEnv, model: string): Promise<string[]> {
  const response = await fetch(`${env.apiOrigin}${env.apiPrefix}/${model}/fields`, { headers: { authorization: `Bearer ${env.apiKey}` } });
  const { data } = (await response.json()) as { data: Record<string, FieldInfo> };
  return Object.entries(data)
    .filter(([, f]) => f.stored && !['binary', 'one2many', 'many2many'].includes(f.type))
    .map(([name]) => name);
}

function ids(records: Array<Record<string, unknown>>, field: string): number[] {
  const out = new Set<number>();
  for (const record of records) {
    const value = record[field];
    if (Array.isArray(value) && field === 'country_id') out.add(value[0] as number);
    else if (Array.isArray(value)) for (const id of value) out.add(id as number);
  }
  return [...out];
}

async function json2Sequence(env: BenchEnv, send: Send): Promise<void> {
  const post = (model: string, method: string, body: unknown) =>
    send({ method: 'POST', path: `/json/2/${model}/${method}`, headers: env.odooHeaders, body: JSON.stringify(body) });
  const partnerFields = fieldSets.get('res.partner') as string[];
  const partners = (await post('res.partner', 'search_read', {
    domain: [],
    fields: [...partnerFields, 'child_ids'],
    limit: 80,
  })) as Array<Record<string, unknown>>;
  for (const [field, model] of Object.entries(RELATIONS)) {
    const wanted = ids(partners, field);
    if (wanted.length) await post(model, 'read', { ids: wanted, fields: fieldSets.get(model) });
  }
}

export const expandPartners: Scenario = {
  name: 'list 80 partners, expand 3 relations',
  concurrency: [1, 8],
  async prepare(env) {
    for (const model of ['res.partner', ...Object.values(RELATIONS)]) fieldSets.set(model, await defaultFields(env, model));
  },
  baseline: { label: 'JSON-2 search_read + 3 reads', job: (env) => (send) => json2Sequence(env, send) },
  candidate: {
    label: 'GET /api/v1/res.partner?expand=…',
    request: (env) => ({
      method: 'GET',
      path: `${env.apiPrefix}/res.partner?expand=country_id,category_id,child_ids&limit=80`,
      headers: { authorization: `Bearer ${env.apiKey}` },
    }),
  },
};
