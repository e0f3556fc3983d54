/**
 * The `filter` parameter as a JSON Odoo domain: parsed, checked term by
 * term against the caller's field rules (paths segment by segment), and
 * returned in a form safe to AND with the configured domains. Every model
 * a condition crosses brings its scope: a dotted path becomes nested `any`
 * terms, each holding the crossed model's scope domains (as Odoo itself
 * decomposes paths), and a relation compared with text becomes a scoped
 * `display_name` search on the related model, which must be one the caller
 * may read (D-S4).
 */
import { errors } from '../errors.js';
import { InvalidValue } from '../payload/issues.js';
import { parseDate, parseDateTime } from '../payload/temporal.js';
import { checkFieldPath, readableRelated, type PathStep } from '../policy/field-check.js';
import { checkNameSearch } from '../policy/name-search.js';
import type { Domain, DomainTerm, FieldMeta, ModelContext, ModelContextResolver } from '../policy/types.js';

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
const HIERARCHY_OPERATORS = new Set(['child_of', 'parent_of']);
const INEQUALITY_OPERATORS = new Set(['<', '>', '<=', '>=']);
/** Negative operators and their positive form (a negative text search on a relation is `not any`, as in Odoo). */
const POSITIVE_OF: Record<string, string> = {
  '!=': '=', '<>': '=', 'not in': 'in',
  'not like': 'like', 'not ilike': 'ilike', 'not =like': '=like', 'not =ilike': '=ilike',
};
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
  return typeof scalar === 'string' && !LIKE_OPERATORS.has(op) ? temporalValue(meta, scalar, path) : scalar;
}

const ODOO_DATETIME = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?$/;

/**
 * A date or datetime compared with text must be one: checked here and
 * named, rather than left to fail in Odoo. Datetimes take Odoo's own UTC
 * form (`2024-05-01 09:30:00`, or a day) or ISO 8601 with a zone, made UTC.
 */
function temporalValue(meta: FieldMeta, value: string, path: string): string {
  if (meta.type !== 'date' && meta.type !== 'datetime') return value;
  try {
    if (meta.type === 'date') return parseDate(value);
    if (!ODOO_DATETIME.test(value)) return parseDateTime(value);
    // Odoo's own form is UTC: checked as such, answered as given
    if (value.length === 10) parseDate(value);
    else parseDateTime(`${value.replace(' ', 'T')}Z`);
    return value;
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    return invalid(`"${path}" is a ${meta.type} field: ${error.message}.`, `expected a ${meta.type} for ${path}`);
  }
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
    const steps = await checkFieldPath(context, path as string, 'filter', 'filter', resolve);
    out.push(scopePath(steps, await checkCondition(steps[steps.length - 1] as PathStep, op, raw, resolve, depth, counter)));
  }
  checkArity(out);
  return out;
}

/** The related model of a relational field, as the caller may read it (403 otherwise). */
function readRelated(meta: FieldMeta, resolve: ModelContextResolver): Promise<ModelContext> {
  const relation = meta.relation as string;
  return readableRelated(relation, resolve, 'filter', `The filter crosses ${relation}, which this credential may not read.`);
}

/**
 * `a.b.c op v` → `[a, any, [scope(A)…, [b, any, [scope(B)…, [c, op, v]]]]]`:
 * what Odoo's own path decomposition does, plus the scope of each model
 * crossed, so a path cannot reach a record the caller's scope hides.
 */
function scopePath(steps: PathStep[], condition: DomainTerm): DomainTerm {
  let term = condition;
  for (let i = steps.length - 2; i >= 0; i -= 1) {
    const inner = (steps[i + 1] as PathStep).context;
    term = [(steps[i] as PathStep).name, 'any', andDomains(...inner.grant.domains, [term])];
  }
  return term;
}

const hasText = (raw: unknown): boolean => typeof raw === 'string' || (Array.isArray(raw) && raw.some((v) => typeof v === 'string'));

/** One condition on the last field of a path, checked in the model that field belongs to. */
async function checkCondition(step: PathStep, op: string, raw: unknown, resolve: ModelContextResolver, depth: number, counter: Counter): Promise<DomainTerm> {
  const { name, meta, context } = step;
  if (name === 'display_name') checkNameSearch(context, 'filter');
  if (SUBDOMAIN_OPERATORS.has(op)) {
    if (!meta.relation) invalid(`"${op}" needs a relational field; "${name}" is not one.`);
    const related = await readRelated(meta, resolve);
    const sub = await checkDomain(raw, related, resolve, depth + 1, counter);
    return [name, op, andDomains(...related.grant.domains, sub)];
  }
  if (HIERARCHY_OPERATORS.has(op)) return [name, op, checkHierarchyIds(op, raw)];
  if (meta.relation && hasText(raw)) return relationTextSearch(step, op, raw, resolve);
  if (LIST_OPERATORS.has(op)) {
    if (!Array.isArray(raw)) invalid(`"${op}" needs a list of values.`);
    if (raw.length > DOMAIN_LIMITS.maxListItems) invalid(`Lists in a filter may have at most ${DOMAIN_LIMITS.maxListItems} values.`);
    return [name, op, raw.map((v) => toOdooValue(checkTyped(meta, op, v, name)))];
  }
  if (Array.isArray(raw)) invalid(`"${op}" takes a single value, not a list.`);
  return [name, op, toOdooValue(checkTyped(meta, op, raw, name))];
}

/** child_of / parent_of take record ids: with names Odoo would run a name search outside the caller's scope. */
function checkHierarchyIds(op: string, raw: unknown): number | number[] {
  const ids = Array.isArray(raw) ? raw : [raw];
  if (ids.length > DOMAIN_LIMITS.maxListItems) invalid(`Lists in a filter may have at most ${DOMAIN_LIMITS.maxListItems} values.`);
  if (!ids.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) invalid(`"${op}" takes record ids (positive integers).`, `expected ids for ${op}`);
  return raw as number | number[];
}

/**
 * A relation compared with text is a name search on the related model
 * (Odoo: `R any [("display_name", op, v)]`, `not any` for a negative op).
 * Made explicit here, inside the related model's scope, and allowed only
 * where the caller may read what that name search compares with.
 */
async function relationTextSearch(step: PathStep, op: string, raw: unknown, resolve: ModelContextResolver): Promise<DomainTerm> {
  const { name, meta } = step;
  if (INEQUALITY_OPERATORS.has(op)) invalid(`"${name}" is a relation: "${op}" compares it with ids, not text.`);
  if (Array.isArray(raw) && !raw.every((v) => typeof v === 'string')) invalid(`Compare "${name}" with ids or with names, not both in one list.`);
  if (Array.isArray(raw) && raw.length > DOMAIN_LIMITS.maxListItems) invalid(`Lists in a filter may have at most ${DOMAIN_LIMITS.maxListItems} values.`);
  if (!Array.isArray(raw)) checkScalar(raw);
  else raw.forEach(checkScalar);
  const related = await readRelated(meta, resolve);
  checkNameSearch(related, 'filter');
  const positive = POSITIVE_OF[op] ?? op;
  return [name, positive === op ? 'any' : 'not any', andDomains(...related.grant.domains, [['display_name', positive, raw]])];
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
