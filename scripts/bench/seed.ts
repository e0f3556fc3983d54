// Benchmark data: partners with names, emails, phones and countries, created through Odoo's ORM.
import type { OdooJson2 } from './odoo-json2.js';

export async function seedPartners(odoo: OdooJson2, count: number, tag: string): Promise<void> {
  const countries = await odoo.call<number[]>('res.country', 'search', { domain: [], limit: 50 });
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const values = Array.from({ length: Math.min(batch, count - start) }, (_, i) => {
      const n = start + i;
      return {
        name: `${tag} partner ${n}`,
        email: `partner${n}@${tag}.example.com`,
        phone: `+32 2 555 ${String(n).padStart(4, '0')}`,
        country_id: countries[n % countries.length],
      };
    });
    await odoo.call('res.partner', 'create', { vals_list: values });
  }
}
