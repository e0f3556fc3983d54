// A minimal client of Odoo 19's JSON-2 API (POST /json/2/<model>/<method>), for seeding and as the baseline.
export class OdooJson2 {
  constructor(
    private readonly odooUrl: string,
    private readonly db: string,
    private readonly apiKey: string,
  ) {}

  headers(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `bearer ${this.apiKey}`, 'x-odoo-database': this.db };
  }

  async call<T>(model: string, method: string, body: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${this.odooUrl}/json/2/${model}/${method}`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`JSON-2 ${model}.${method}: HTTP ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}
