/**
 * What the edge refuses in the text and JSON a request carries, as pure
 * functions: NUL characters (PostgreSQL text cannot hold them), unpaired
 * UTF-16 surrogates (no UTF-8 encoding exists for them), JSON nested past a
 * fixed depth and numbers no JSON peer can carry exactly.
 */

/** Deepest nesting of arrays and objects a JSON body or parameter may have (an `any` filter needs about 12). */
export const MAX_JSON_DEPTH = 64;
/**
 * Largest magnitude of a JSON number: past 2^53 − 1 a number is not exact
 * in JavaScript (I-JSON, RFC 7493 §2.2), and far past it Odoo's rounding of
 * a float field overflows (1e308 / 10^-digits is infinite).
 */
export const MAX_JSON_NUMBER = Number.MAX_SAFE_INTEGER;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export type TextProblem = 'nul' | 'surrogate';

/** Why `text` cannot be taken, or null. */
export function textProblem(text: string): TextProblem | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return null;
}

export function describeTextProblem(problem: TextProblem): string {
  return problem === 'nul' ? 'must not contain NUL characters' : 'must be valid Unicode (it holds an unpaired surrogate)';
}

/** `text` with NUL characters and unpaired surrogates replaced by U+FFFD, for stores that must keep what they can. */
export function replaceBadText(text: string): string {
  if (!text.includes('\u0000') && !LONE_SURROGATE.test(text)) return text;
  return text.replace(/\u0000/g, '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

export interface JsonProblem {
  /** Where: `name`, `operations[2].values.name` (at most 200 characters), or '' for the whole value. */
  path: string;
  kind: 'depth' | 'nul' | 'surrogate' | 'number';
  message: string;
}

const MAX_PATH_CHARS = 200;

/** A value met in the walk; its path is spelled only when it has a problem. */
interface Visit {
  value: unknown;
  parent: Visit | null;
  key: string | number;
  depth: number;
}

/** `operations[2].values.name`; bounded, so a refusal never echoes a huge key. */
function pathOf(visit: Visit): string {
  const keys: Array<string | number> = [];
  for (let at: Visit | null = visit; at?.parent; at = at.parent) keys.push(at.key);
  let path = '';
  for (let i = keys.length - 1; i >= 0 && path.length < MAX_PATH_CHARS; i -= 1) {
    const key = keys[i] as string | number;
    path = typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  }
  return path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS - 1)}…` : path;
}

/**
 * The first problem of a parsed JSON value, walked with an explicit stack
 * (a deep value never costs call stack): nesting deeper than
 * `MAX_JSON_DEPTH`, a string or object key with NUL or an unpaired
 * surrogate, or a number that is not finite or beyond `MAX_JSON_NUMBER`
 * (`JSON.parse('1e400')` is Infinity, which would become null).
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const stack: Visit[] = [{ value, parent: null, key: '', depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    const current = visit.value;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { path: pathOf(visit), kind: problem, message: describeTextProblem(problem) };
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current) || Math.abs(current) > MAX_JSON_NUMBER) {
        return { path: pathOf(visit), kind: 'number', message: `must be a finite number between -${MAX_JSON_NUMBER} and ${MAX_JSON_NUMBER}` };
      }
    } else if (current !== null && typeof current === 'object') {
      const depth = visit.depth + 1;
      // no path: it would be `maxDepth` segments long
      if (depth > maxDepth) return { path: '', kind: 'depth', message: `is nested deeper than ${maxDepth} levels` };
      if (Array.isArray(current)) {
        for (let i = current.length - 1; i >= 0; i -= 1) stack.push({ value: current[i], parent: visit, key: i, depth });
      } else {
        const record = current as Record<string, unknown>;
        const keys = Object.keys(record);
        for (let i = keys.length - 1; i >= 0; i -= 1) {
          const key = keys[i] as string;
          const problem = textProblem(key);
          // a bad key cannot be named as it is: say where its object is
          if (problem) return { path: pathOf(visit), kind: problem, message: `has a key that ${describeTextProblem(problem)}` };
          stack.push({ value: record[key], parent: visit, key, depth });
        }
      }
    }
  }
  return null;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes as text, or null when they are not valid UTF-8 (no silent U+FFFD). */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * A percent-encoded URL component (path segment, query or form name or
 * value) as text, or null when its escapes spell bytes that are not UTF-8
 * (`%ED%A0%80`, `%FF`). A `%` not followed by two hex digits stays as it
 * is, as URL parsers do; `plusIsSpace` for query strings and form bodies.
 */
export function percentDecodeStrict(component: string, plusIsSpace: boolean): string | null {
  if (!component.includes('%')) return plusIsSpace ? component.replace(/\+/g, ' ') : component;
  const source = Buffer.from(plusIsSpace ? component.replace(/\+/g, ' ') : component, 'utf8');
  const bytes = Buffer.alloc(source.length);
  let length = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i] as number;
    if (c === 0x25 && i + 2 < source.length) {
      const high = hexValue(source[i + 1] ?? -1);
      const low = hexValue(source[i + 2] ?? -1);
      if (high >= 0 && low >= 0) {
        bytes[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    bytes[length++] = c;
  }
  return decodeUtf8Strict(bytes.subarray(0, length));
}
