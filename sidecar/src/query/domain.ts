/**
 * The `filter` parameter as a JSON Odoo domain: parsed, checked term by
 * term against the caller's field rules (paths segment by segment), and
 * returned in a form safe to AND with the configured domains.
 */
import { errors } from '../errors.js';
import { checkFieldPath } from '../policy/field-check.js';
import type { Domain, FieldMeta, ModelContext, ModelContextResolver } from '../policy/types.js';

/** Odoo 19's condition operators, less `any!`/`not any!` (they bypass access rights). */
const OPERATORS = new Set([
  '=', '!=', '<>', '<', '>', '<=', '>=', '=?',
  'in', 'not in',
  'like', 'not like', 'ilike', 'not ilike', '=like', 'not =like', '=ilike', 'not =ilike',
  'child_of', 'parent_of',
  'any', 'not any',
]);
const LIST_OPERATORS = new Set(['in', 'not in']);
const SUBDOMAIN_OPERATORS = new Set(['any', 'not any']);
const LIKE_OPERATORS = new Set(['like', 'not like', 'ilike', 'not ilike', '=like', 'not =like', '=ilike', 'not =ilike']);
const NUMERIC_TYPES = new Set(['integer', 'float', 'monetary']);

export const DOMAIN_LIMITS = { maxTerms: 200, maxDepth: 4, maxListItems: 5_000, maxStringLength: 10_000, maxJsonLength: 32_000 };

type Scalar = string | number | boolean | null;

function invalid(detail: string, message = detail): never {
  throw errors.badRequest('invalid_filter', detail, { errors: [{ field: 'filter', message }] });
}

export function parseDomainJson(text: string): unknown {
  if (text.length > DOMAIN_LIMITS.maxJsonLength) invalid(`The filter is longer than ${DOMAIN_LIMITS.maxJsonLength} characters.`);
  try {
    return JSON.parse(text);
  } catch {
    return invalid('The filter is not valid JSON; expected a JSON Odoo domain such as [["name","ilike","acme"]].', 'malformed JSON');
  }
}

function checkTyped(meta: FieldMeta, op: string, value: unknown, path: string): Scalar {
  const scalar = checkScalar(value);
  checkValueType(meta, op, scalar, path);
  return scalar;
}

function checkScalar(value: unknown): Scalar {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid('Numbers in a filter must be finite.');
    return value;
  }
  if (typeof value === 'string') {
    if (value.length > DOMAIN_LIMITS.maxStringLength) invalid(`Strings in a filter may be at most ${DOMAIN_LIMITS.maxStringLength} characters.`);
    return value;
  }
  return invalid('Values in a filter must be strings, numbers, booleans or null.', 'unsupported value type');
}

/** Values that cannot compare with the field's type are the client's error, caught before Odoo. */
function checkValueType(meta: FieldMeta, op: string, value: Scalar, path: string): void {
  if (value === null || value === false || LIKE_OPERATORS.has(op)) return;
  if (NUMERIC_TYPES.has(meta.type) && typeof value !== 'number') {
    invalid(`"${path}" is a number field; compare it with numbers.`, `expected a number for ${path}`);
  }
  if (meta.type === 'boolean' && typeof value !== 'boolean') {
    invalid(`"${path}" is a true/false field; compare it with true or false.`, `expected a boolean for ${path}`);
  }
}

/** JSON null means Odoo's False (an empty value). */
function toOdooValue(value: Scalar): Scalar {
  return value === null ? false : value;
}

interface Counter {
  terms: number;
}

async function checkDomain(
  value: unknown,
  context: ModelContext,
  resolve: ModelContextResolver,
  depth: number,
  counter: Counter,
): Promise<Domain> {
  if (!Array.isArray(value)) invalid('A filter must be a JSON array (an Odoo domain).', 'not an array');
  if (depth > DOMAIN_LIMITS.maxDepth) invalid(`Filters may nest at most ${DOMAIN_LIMITS.maxDepth} levels.`);
  const out: Domain = [];
  let pending = 0; // expressions available, counted right to left below
  for (const item of value) {
    counter.terms += 1;
    if (counter.terms > DOMAIN_LIMITS.maxTerms) invalid(`A filter may have at most ${DOMAIN_LIMITS.maxTerms} terms.`);
    if (item === '&' || item === '|' || item === '!') {
      out.push(item);
      continue;
    }
    if (!Array.isArray(item) || item.length !== 3) invalid('Each condition must be ["field", "operator", value] or one of "&", "|", "!".', 'malformed condition');
    const [path, operator, raw] = item as [unknown, unknown, unknown];
    if (typeof path !== 'string') invalid('A condition\'s field must be a string.', 'field is not a string');
    if (typeof operator !== 'string' || !OPERATORS.has(operator.toLowerCase())) {
      invalid(`Unknown operator ${JSON.stringify(operator)}; use one of ${[...OPERATORS].join(', ')}.`, 'unknown operator');
    }
    const op = (operator as string).toLowerCase();
    const { meta } = await checkFieldPath(context, path as string, 'filter', 'filter', resolve);
    if (SUBDOMAIN_OPERATORS.has(op)) {
      if (!meta.relation) invalid(`"${op}" needs a relational field; "${path}" is not one.`);
      const related = await resolve(meta.relation as string, 'read').catch((error: unknown) => {
        throw errors.forbidden('field_not_allowed', `The filter crosses ${meta.relation}, which this credential may not read.`, {
          errors: [{ field: 'filter', message: `${meta.relation} is not readable` }],
          cause: error,
        });
      });
      const sub = await checkDomain(raw, related, resolve, depth + 1, counter);
      out.push([path, op, [...related.grant.domains.flat(), ...sub]]);
    } else if (LIST_OPERATORS.has(op)) {
      if (!Array.isArray(raw)) invalid(`"${op}" needs a list of values.`);
      if (raw.length > DOMAIN_LIMITS.maxListItems) invalid(`Lists in a filter may have at most ${DOMAIN_LIMITS.maxListItems} values.`);
      out.push([path, op, raw.map((v) => toOdooValue(checkTyped(meta, op, v, path as string)))]);
    } else if (Array.isArray(raw)) {
      if (op !== 'child_of' && op !== 'parent_of') invalid(`"${op}" takes a single value, not a list.`);
      if (raw.length > DOMAIN_LIMITS.maxListItems) invalid(`Lists in a filter may have at most ${DOMAIN_LIMITS.maxListItems} values.`);
      out.push([path, op, raw.map((v) => toOdooValue(checkScalar(v)))]);
    } else {
      out.push([path, op, toOdooValue(checkTyped(meta, op, raw, path as string))]);
    }
  }
  checkArity(out);
  return out;
}

/** Prefix notation: every "&"/"|" needs two expressions after it, "!" one. */
function checkArity(domain: Domain): void {
  let available = 0;
  for (let i = domain.length - 1; i >= 0; i -= 1) {
    const item = domain[i];
    if (item === '!') {
      if (available < 1) invalid('"!" must be followed by a condition.', 'dangling operator');
    } else if (item === '&' || item === '|') {
      if (available < 2) invalid(`"${item}" must be followed by two conditions.`, 'dangling operator');
      available -= 1;
    } else {
      available += 1;
    }
  }
}

/** Parses and checks the `filter` parameter; an absent filter is the empty domain. */
export async function parseFilter(raw: string | undefined, context: ModelContext, resolve: ModelContextResolver): Promise<Domain> {
  if (raw === undefined || raw.trim() === '') return [];
  return checkDomain(parseDomainJson(raw), context, resolve, 0, { terms: 0 });
}

/** Checks a domain built by the sidecar from client input (structured filters). */
export async function checkClientDomain(domain: Domain, context: ModelContext, resolve: ModelContextResolver): Promise<Domain> {
  return domain.length ? checkDomain(domain, context, resolve, 0, { terms: 0 }) : [];
}

/**
 * ANDs complete domains. Each part's operators consume only its own terms,
 * so concatenation is an AND (Odoo ANDs top-level expressions implicitly).
 */
export function andDomains(...parts: Domain[]): Domain {
  return parts.flat();
}
