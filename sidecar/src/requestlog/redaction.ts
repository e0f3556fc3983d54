/**
 * What the request log keeps of a payload: secrets redacted by key name
 * (case-insensitive, at any depth of nested JSON and in query strings),
 * long strings and arrays shortened, and the whole summary capped so one
 * request never costs more than a few kilobytes of log. Every string and
 * key is made storable (NUL and unpaired surrogates replaced by U+FFFD):
 * PostgreSQL text and jsonb refuse them, and one such row used to fail a
 * whole batch of other clients' entries.
 */
import { replaceBadText } from '../http/text-checks.js';

export const REDACTED = '[REDACTED]';
/** Characters kept of a path, a request summary or a response summary. */
export const SUMMARY_MAX_CHARS = 2_048;
const STRING_MAX_CHARS = 256;
const ARRAY_MAX_ITEMS = 20;
const OBJECT_MAX_KEYS = 50;
const MAX_DEPTH = 6;
const QUERY_PARAMETER = /\?[^=&#\s]+=/;

/** Key names whose value is a secret wherever they appear in the name (`new_password`, `client_secret`, `x-api-key`). */
const SENSITIVE_PARTS = ['password', 'passwd', 'secret', 'token', 'apikey', 'api_key', 'authorization', 'cookie', 'credential'];
/** Key names that are secrets only when they are the whole name (`key` is the plaintext API key; `key_id` is not). */
const SENSITIVE_NAMES = new Set(['key', 'pin', 'otp', 'totp']);
/** Names that contain a sensitive part but describe a secret rather than hold one. */
const NOT_SECRETS = new Set(['token_type', 'token_lifetime']);

/** Verdicts by key name: payloads repeat the same few names on every request. */
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 10_000;

export function isSensitiveKey(name: string): boolean {
  const known = verdicts.get(name);
  if (known !== undefined) return known;
  const normalized = name.toLowerCase().replace(/-/g, '_');
  const sensitive = !NOT_SECRETS.has(normalized) && (SENSITIVE_NAMES.has(normalized) || SENSITIVE_PARTS.some((part) => normalized.includes(part)));
  // bounded: names come from clients; past the bound the verdict is computed each time
  if (verdicts.size < MAX_REMEMBERED_NAMES) verdicts.set(name, sensitive);
  return sensitive;
}

/** How much of a payload a summary keeps. */
export interface SummaryLimits {
  /** Items kept of each array; the rest is counted (`… 30 more`). */
  arrayItems: number;
}

export const PAYLOAD_LIMITS: SummaryLimits = { arrayItems: ARRAY_MAX_ITEMS };
/**
 * A successful read's answer is data the client already has, often long
 * lists: its summary keeps the shape (objects, single records, `meta`) and
 * counts list items rather than copying them.
 */
export const READ_ANSWER_LIMITS: SummaryLimits = { arrayItems: 0 };

/** A JSON-ready copy of `value` with every sensitive key's value replaced and sizes bounded. */
export function redact(value: unknown, depth = 0, limits: SummaryLimits = PAYLOAD_LIMITS): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    // a URL in a value (a pagination link) echoes the query string, secrets included
    const text = QUERY_PARAMETER.test(value) ? redactPath(value) : value;
    return replaceBadText(text.length > STRING_MAX_CHARS ? `${sliceChars(text, STRING_MAX_CHARS)}…` : text);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return null; // undefined, functions, symbols
  if (depth >= MAX_DEPTH) return '…';
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, limits.arrayItems).map((item) => redact(item, depth + 1, limits));
    if (value.length > limits.arrayItems) items.push(`… ${value.length - limits.arrayItems} more`);
    return items;
  }
  const result: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [name, item] of entries.slice(0, OBJECT_MAX_KEYS)) {
    result[replaceBadText(name)] = isSensitiveKey(name) ? REDACTED : redact(item, depth + 1, limits);
  }
  if (entries.length > OBJECT_MAX_KEYS) result['…'] = `${entries.length - OBJECT_MAX_KEYS} more keys`;
  return result;
}

/** The first `count` UTF-16 units of `text`, one fewer if the cut would split a surrogate pair. */
function sliceChars(text: string, count: number): string {
  const last = text.charCodeAt(count - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? count - 1 : count);
}

/** Cuts `text` to `max` characters, marking the cut, and makes it storable. */
export function cap(text: string, max = SUMMARY_MAX_CHARS): string {
  return replaceBadText(text.length > max ? `${sliceChars(text, max - 1)}…` : text);
}

/** The redacted JSON of a payload, capped; null when there is nothing to summarize. */
export function summarize(value: unknown, limits: SummaryLimits = PAYLOAD_LIMITS): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    // only JSON text is summarized: anything else may hold secrets we cannot find
    const text = typeof value === 'string' ? value : value.toString('utf8');
    try {
      return summarize(JSON.parse(text) as unknown, limits);
    } catch {
      return null;
    }
  }
  if (typeof value === 'object' && typeof (value as { pipe?: unknown }).pipe === 'function') return null; // a stream
  return cap(JSON.stringify(redact(value, 0, limits)));
}

/** `path?query` with the values of sensitive query parameters redacted, capped. */
export function redactPath(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return cap(url);
  const parameters = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        /* keep the raw name */
      }
      return equals >= 0 && isSensitiveKey(name) ? `${rawName}=${REDACTED}` : pair;
    });
  return cap(`${url.slice(0, mark)}?${parameters.join('&')}`);
}
