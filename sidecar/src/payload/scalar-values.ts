/**
 * One written value of a non-x2many field → the Odoo value, by field type
 * (API-CONVENTIONS.md "Values"): strings, numbers, booleans, dates,
 * selections, many2one ids and binaries. JSON null clears (Odoo's False).
 */
import type { FieldMeta } from '../policy/types.js';
import { InvalidValue } from './issues.js';
import { parseDate, parseDateTime } from './temporal.js';
import { PAYLOAD_LIMITS } from './types.js';

const MAX_INT32 = 2_147_483_647;
const MIN_INT32 = -2_147_483_648;
/** Unpaired UTF-16 surrogates: PostgreSQL cannot store them (paired ones are one code point under /u). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATA_URL = /^data:[^,;]*(?:;[^,;]*)*?;base64,/i;

function text(value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidValue('expected a string');
  if (value.length > maxLength) throw new InvalidValue(`at most ${maxLength} characters`, 'value_too_large');
  // PostgreSQL text cannot hold NUL, nor UTF-8 can encode lone surrogates
  if (value.includes('\u0000')) throw new InvalidValue('must not contain NUL characters');
  if (LONE_SURROGATE.test(value)) throw new InvalidValue('must be valid Unicode (unpaired surrogate)');
  return value;
}

function integer(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new InvalidValue('expected a whole number');
  if (value < MIN_INT32 || value > MAX_INT32) throw new InvalidValue(`expected a whole number between ${MIN_INT32} and ${MAX_INT32}`);
  return value;
}

function finiteNumber(value: unknown): number {
  // JSON.parse turns 1e400 into Infinity
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidValue('expected a finite number');
  return value;
}

function selection(meta: FieldMeta, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidValue('expected one of the selection values (a string)');
  const keys = meta.selection?.map(([key]) => key);
  if (keys && !keys.includes(value)) {
    const shown = keys.length > 20 ? `${keys.slice(0, 20).join(', ')}, …` : keys.join(', ');
    throw new InvalidValue(`expected one of ${shown}`);
  }
  return value;
}

export function recordId(value: unknown, what = 'a record id'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_INT32) {
    throw new InvalidValue(`expected ${what} (a positive integer)`);
  }
  return value;
}

/** Base64, or a `data:…;base64,` URL whose prefix is dropped; '' clears like null. */
function binary(value: unknown): string | false {
  if (typeof value !== 'string') throw new InvalidValue('expected base64 text or a data: URL');
  let payload = value;
  if (value.slice(0, 5).toLowerCase() === 'data:') {
    const prefix = DATA_URL.exec(value.slice(0, 512));
    if (!prefix) throw new InvalidValue('expected a base64 data: URL (data:<type>;base64,<data>)');
    payload = value.slice(prefix[0].length);
  }
  if (!BASE64.test(payload)) throw new InvalidValue('expected valid base64');
  return payload === '' ? false : payload;
}

/** The Odoo value of `value` for a field that is not an x2many. */
export function toOdooScalar(meta: FieldMeta, value: unknown): unknown {
  if (value === null) return false;
  switch (meta.type) {
    case 'char':
      return text(value, PAYLOAD_LIMITS.charLength);
    case 'text':
    case 'html':
      return text(value, PAYLOAD_LIMITS.textLength);
    case 'integer':
      return integer(value);
    case 'float':
    case 'monetary':
      return finiteNumber(value);
    case 'boolean':
      if (typeof value !== 'boolean') throw new InvalidValue('expected true or false');
      return value;
    case 'date':
      return parseDate(value);
    case 'datetime':
      return parseDateTime(value);
    case 'selection':
      return selection(meta, value);
    case 'many2one':
      return recordId(value, `the id of a ${meta.relation ?? 'related'} record or null`);
    case 'binary':
      return binary(value);
    default:
      throw new InvalidValue(`fields of type ${meta.type} cannot be written through the API`, 'field_readonly');
  }
}
