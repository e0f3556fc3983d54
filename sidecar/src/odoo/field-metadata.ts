/**
 * Field metadata as Odoo's fields_get shows it to one user (field-level
 * groups applied), with each field's dependencies and the model's
 * name-search fields (the addon's `rest_gateway_fields_get`, D-S3), cached
 * per user and model (one bridge call however many requests miss at once),
 * and dropped whenever the configuration changes.
 */
import { LRUCache } from 'lru-cache';
import type { BridgeClient } from './bridge-client.js';
import type { FieldMeta, ModelFields, NameSearch } from '../policy/types.js';

/** One model as one user sees it. */
export interface ModelDescription {
  fields: ModelFields;
  nameSearch: NameSearch;
}

const ATTRIBUTES = ['type', 'string', 'relation', 'store', 'sortable', 'searchable', 'readonly', 'required', 'selection', 'help'];

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

/** Looked up when a user's description is missing; a model that does not exist is remembered too. */
const NO_MODEL = { missing: true } as const;
type Cached = ModelDescription | typeof NO_MODEL;

export class FieldMetadataCache {
  /**
   * Keyed `uid:model`; lru-cache's `fetch` shares one bridge call between
   * concurrent misses of a key (single flight) and expires entries.
   */
  private readonly entries: LRUCache<string, Cached, { uid: number; model: string }>;

  constructor(
    private readonly bridge: BridgeClient,
    ttlMs = 60_000,
    maxEntries = 5_000,
  ) {
    this.entries = new LRUCache({
      max: maxEntries,
      ttl: ttlMs,
      // a reload (clear) while a fetch runs must not fail the request waiting on it
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { context }) => (await this.fetch(context.uid, context.model)) ?? NO_MODEL,
    });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Fields of `model` as `uid` sees them; null when Odoo has no such model. */
  async get(uid: number, model: string): Promise<ModelFields | null> {
    return (await this.describe(uid, model))?.fields ?? null;
  }

  /** Fields and name search of `model` as `uid` sees them; null when Odoo has no such model. */
  async describe(uid: number, model: string): Promise<ModelDescription | null> {
    const cached = await this.entries.fetch(`${uid}:${model}`, { context: { uid, model } });
    return cached === undefined || 'missing' in cached ? null : cached;
  }

  private async fetch(uid: number, model: string): Promise<ModelDescription | null> {
    const { results } = await this.bridge.run({
      uid,
      context: {},
      atomic: false,
      readonly: true,
      operations: [{ model, method: 'rest_gateway_fields_get', kwargs: { attributes: ATTRIBUTES } }],
    });
    const item = results[0] as { result?: unknown; error?: unknown } | undefined;
    return toDescription(item?.result);
  }
}
