// Benchmark data, created through Odoo's ORM: companies with contacts (child_ids), each partner with
// a name, email, phone, country and two tags (category_id), so that expansions have work to do.
import type { OdooJson2 } from './odoo-json2.js';

const BATCH = 500;

function partner(tag: string, n: number, countries: number[], categories: number[]): Record<string, unknown> {
  return {
    name: `${tag} partner ${n}`,
    email: `partner${n}@${tag}.example.com`,
    phone: `+32 2 555 ${String(n).padStart(4, '0')}`,
    country_id: countries[n % countries.length],
    category_id: [[6, 0, [categories[n % categories.length], categories[(n + 3) % categories.length]]]],
  };
}

async function createAll(odoo: OdooJson2, values: Array<Record<string, unknown>>): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < values.length; start += BATCH) {
    ids.push(...(await odoo.call<number[]>('res.partner', 'create', { vals_list: values.slice(start, start + BATCH) })));
  }
  return ids;
}

/** One company in ten; the others are contacts of a company. */
export async function seedPartners(odoo: OdooJson2, count: number, tag: string): Promise<void> {
  const countries = await odoo.call<number[]>('res.country', 'search', { domain: [], limit: 50 });
  const categories = await odoo.call<number[]>('res.partner.category', 'create', {
    vals_list: Array.from({ length: 10 }, (_, i) => ({ name: `${tag} tag ${i}` })),
  });
  const companyCount = Math.ceil(count / 10);
  const companies = await createAll(
    odoo,
    Array.from({ length: companyCount }, (_, n) => ({ ...partner(tag, n, countries, categories), is_company: true })),
  );
  await createAll(
    odoo,
    Array.from({ length: count - companyCount }, (_, i) => ({
      ...partner(tag, companyCount + i, countries, categories),
      parent_id: companies[i % companies.length],
    })),
  );
}
