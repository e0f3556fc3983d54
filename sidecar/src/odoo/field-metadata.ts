/**
 * Field metadata as Odoo's fields_get shows it to one user (field-level
 * groups applied), with each field's dependencies and the model's
 * name-search fields (the addon's `rest_gateway_fields_get`, D-S3), cached
 * per user and model, fetched for several models in one bridge call, and
 * dropped whenever the configuration changes.
 */
import type { BridgeClient } from './bridge-client.js';
import type { FieldMeta, ModelFields, NameSearch } from '../policy/types.js';

/** One model as one user sees it. */
export interface ModelDescription {
  fields: ModelFields;
  nameSearch: NameSearch;
}

const ATTRIBUTES = ['type', 'string', 'relation', 'store', 'sortable', 'searchable', 'readonly', 'required', 'selection', 'help'];

interface Entry {
  description: ModelDescription | null; // null: no such model
  expires: number;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

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
    depends: strings(raw.depends),
  };
}

function toDescription(raw: unknown): ModelDescription | null {
  const described = raw as { fields?: Record<string, Record<string, unknown>>; name_search_fields?: unknown; name_search_extended?: unknown } | undefined;
  if (!described?.fields) return null;
  return {
    fields: new Map(Object.entries(described.fields).map(([name, field]) => [name, toFieldMeta(name, field)])),
    nameSearch: { fields: strings(described.name_search_fields), extended: described.name_search_extended !== false },
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
    return (await this.describe(uid, model))?.fields ?? null;
  }

  /** Fields and name search of `model` as `uid` sees them; null when Odoo has no such model. */
  async describe(uid: number, model: string): Promise<ModelDescription | null> {
    const cached = this.entries.get(`${uid}:${model}`);
    if (cached && cached.expires > Date.now()) return cached.description;
    const [description] = await this.fetch(uid, [model]);
    return description ?? null;
  }

  private async fetch(uid: number, models: string[]): Promise<Array<ModelDescription | null>> {
    const { results } = await this.bridge.run({
      uid,
      context: {},
      atomic: false,
      readonly: true,
      operations: models.map((model) => ({ model, method: 'rest_gateway_fields_get', kwargs: { attributes: ATTRIBUTES } })),
    });
    return models.map((model, i) => {
      const item = results[i] as { result?: unknown; error?: unknown } | undefined;
      const description = toDescription(item?.result);
      this.entries.set(`${uid}:${model}`, { description, expires: Date.now() + this.ttlMs });
      return description;
    });
  }
}
