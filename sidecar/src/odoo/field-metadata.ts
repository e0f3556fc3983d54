/**
 * Field metadata as Odoo's fields_get shows it to one user (field-level
 * groups applied), cached per user and model, fetched for several models in
 * one bridge call, and dropped whenever the configuration changes.
 */
import type { BridgeClient } from './bridge-client.js';
import type { FieldMeta, ModelFields } from '../policy/types.js';

const ATTRIBUTES = ['type', 'string', 'relation', 'store', 'sortable', 'searchable', 'readonly', 'required', 'selection', 'help'];

interface Entry {
  fields: ModelFields | null; // null: no such model
  expires: number;
}

function toFieldMeta(name: string, raw: Record<string, unknown>): FieldMeta {
  return {
    name,
    type: String(raw.type),
    string: typeof raw.string === 'string' ? raw.string : name,
    relation: typeof raw.relation === 'string' && raw.relation ? raw.relation : null,
    store: Boolean(raw.store),
    sortable: Boolean(raw.sortable),
    searchable: Boolean(raw.searchable),
    readonly: Boolean(raw.readonly),
    required: Boolean(raw.required),
    selection: Array.isArray(raw.selection) ? (raw.selection as Array<[string, string]>) : null,
    help: typeof raw.help === 'string' ? raw.help : null,
  };
}

export class FieldMetadataCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly bridge: BridgeClient,
    private readonly ttlMs = 60_000,
  ) {}

  clear(): void {
    this.entries.clear();
  }

  /** Fields of `model` as `uid` sees them; null when Odoo has no such model. */
  async get(uid: number, model: string): Promise<ModelFields | null> {
    const cached = this.entries.get(`${uid}:${model}`);
    if (cached && cached.expires > Date.now()) return cached.fields;
    const [fields] = await this.fetch(uid, [model]);
    return fields ?? null;
  }

  private async fetch(uid: number, models: string[]): Promise<Array<ModelFields | null>> {
    const { results } = await this.bridge.run({
      uid,
      context: {},
      atomic: false,
      readonly: true,
      operations: models.map((model) => ({ model, method: 'fields_get', kwargs: { attributes: ATTRIBUTES } })),
    });
    return models.map((model, i) => {
      const item = results[i] as { result?: Record<string, Record<string, unknown>>; error?: unknown } | undefined;
      const fields = item?.result
        ? new Map(Object.entries(item.result).map(([name, raw]) => [name, toFieldMeta(name, raw)]))
        : null;
      this.entries.set(`${uid}:${model}`, { fields, expires: Date.now() + this.ttlMs });
      return fields;
    });
  }
}
