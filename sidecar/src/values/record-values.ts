/**
 * Odoo values → API values (API-CONVENTIONS.md "Values"): null for empty,
 * many2one objects, ISO 8601 datetimes in UTC with Z, binary as base64 or
 * a data URL.
 */
import type { FieldMeta, ModelFields } from '../policy/types.js';

export interface ValueOptions {
  binary: 'base64' | 'data_url';
}

const MAGIC: Array<[string, string]> = [
  ['iVBORw0KGgo', 'image/png'],
  ['/9j/', 'image/jpeg'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'image/webp'],
  ['JVBERi0', 'application/pdf'],
  ['PHN2Zy', 'image/svg+xml'],
  ['PD94bWwg', 'image/svg+xml'],
];

export function guessMimeType(base64: string): string {
  return MAGIC.find(([prefix]) => base64.startsWith(prefix))?.[1] ?? 'application/octet-stream';
}

export function toApiValue(meta: FieldMeta | undefined, value: unknown, options: ValueOptions): unknown {
  const type = meta?.type;
  if (type === 'boolean') return Boolean(value);
  if (value === false || value === undefined) return null;
  switch (type) {
    case 'many2one':
      // search_read gives [id, name]; web_read gives {id, display_name}
      return Array.isArray(value) ? { id: value[0], display_name: value[1] } : value;
    case 'datetime':
      return typeof value === 'string' ? `${value.replace(' ', 'T')}Z` : value;
    case 'binary':
      return typeof value === 'string' && options.binary === 'data_url' ? `data:${guessMimeType(value)};base64,${value}` : value;
    default:
      return value;
  }
}

/** The shape of a read: a model's fields and, per expanded relation, the related model's shape. */
export interface RecordShape {
  fields: ModelFields;
  expanded: ReadonlyMap<string, RecordShape>;
}

function toExpandedValue(value: unknown, shape: RecordShape, options: ValueOptions): unknown {
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') {
    return { id: value[0], display_name: value[1] }; // a many2one filtered out of the expansion
  }
  if (Array.isArray(value)) return value.map((item) => toExpandedValue(item, shape, options));
  if (value && typeof value === 'object') return toApiRecord(value as Record<string, unknown>, shape, options);
  return value === false ? null : value;
}

export function toApiRecord(record: Record<string, unknown>, shape: RecordShape, options: ValueOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const expanded = shape.expanded.get(name);
    out[name] = expanded ? toExpandedValue(value, expanded, options) : toApiValue(shape.fields.get(name), value, options);
  }
  return out;
}

export function flatShape(fields: ModelFields): RecordShape {
  return { fields, expanded: new Map() };
}
