/**
 * `expand=country_id,child_ids.category_id` with per-relation options
 * `expand[path][fields|filter|sort|limit]`, up to four levels. Every level is
 * checked: the relation must be an allowed field of its model, the related
 * model readable by the caller, its fields and filter checked against that
 * model's rules, and its configured domains AND-ed in.
 */
import { errors } from '../errors.js';
import { checkOwnField, readableRelated } from '../policy/field-check.js';
import type { Domain, ModelContext, ModelContextResolver, ModelFields } from '../policy/types.js';
import type { RecordShape } from '../values/record-values.js';
import { andDomains, parseFilter } from './domain.js';
import { defaultFields, parseFieldList } from './fields.js';
import { parseNonNegativeInt, singleParam, type RawQuery } from './params.js';
import { parseSortValue } from './sort.js';

export const MAX_EXPAND_DEPTH = 4;
const MAX_EXPANSIONS = 20;
const OPTION_KEY = /^expand\[([a-z0-9_.]+)\]\[(fields|filter|sort|limit)\]$/i;
const OPTIONS = new Set(['fields', 'filter', 'sort', 'limit']);

export interface ExpandNode {
  context: ModelContext;
  fields: string[];
  domain: Domain;
  order: string | null;
  /** Per parent record: always set for an x2many (default page size), null for a many2one. */
  limit: number | null;
  children: Map<string, ExpandNode>;
}

function bad(param: string, detail: string, code: 'invalid_parameter' | 'expand_too_deep' = 'invalid_parameter'): never {
  throw errors.badRequest(code, detail, { errors: [{ field: param, message: detail }] });
}

function readOptions(query: RawQuery, paths: Set<string>): Map<string, Map<string, string>> {
  const options = new Map<string, Map<string, string>>();
  for (const key of Object.keys(query)) {
    if (!key.startsWith('expand[')) continue;
    const match = OPTION_KEY.exec(key);
    if (!match || !OPTIONS.has((match[2] as string).toLowerCase())) bad(key, `"${key}" is not an expansion option; use expand[path][fields|filter|sort|limit].`);
    const path = match[1] as string;
    if (!paths.has(path)) bad(key, `"${key}" configures "${path}", which is not expanded.`);
    const value = singleParam(query, key) as string;
    const byName = options.get(path) ?? new Map<string, string>();
    byName.set((match[2] as string).toLowerCase(), value);
    options.set(path, byName);
  }
  return options;
}

/** Every prefix of every listed path is expanded too (`a.b` expands `a`). */
function listPaths(raw: string): Set<string> {
  const paths = new Set<string>();
  for (const item of raw.split(',').map((p) => p.trim())) {
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/i.test(item)) bad('expand', `"${item}" is not a valid relation path.`);
    const segments = item.split('.');
    if (segments.length > MAX_EXPAND_DEPTH) bad('expand', `"${item}" is deeper than ${MAX_EXPAND_DEPTH} levels.`, 'expand_too_deep');
    for (let i = 1; i <= segments.length; i += 1) paths.add(segments.slice(0, i).join('.'));
  }
  if (paths.size > MAX_EXPANSIONS) bad('expand', `At most ${MAX_EXPANSIONS} relations can be expanded.`);
  return paths;
}

/**
 * Records an expanded x2many lists per parent: `expand[path][limit]`, by
 * default the related model's default page size, at most its maximum
 * (D-S45), so that expansion work is bounded like a page.
 */
function x2manyLimit(path: string, param: string, raw: string | undefined, context: ModelContext): number {
  const { defaultPageSize, maxPageSize, model } = context.grant;
  if (raw === undefined) return defaultPageSize;
  const limit = parseNonNegativeInt(param, raw, 1);
  if (limit > maxPageSize) {
    throw errors.badRequest('page_size_exceeded', `${param} may be at most ${maxPageSize} for "${path}" (${model}).`, {
      errors: [{ field: param, message: `at most ${maxPageSize}` }],
    });
  }
  return limit;
}

async function buildNode(
  parent: ModelContext,
  path: string,
  field: string,
  options: Map<string, string>,
  resolve: ModelContextResolver,
): Promise<ExpandNode> {
  const meta = checkOwnField(parent, field, 'read', 'expand');
  if (!meta.relation || !['many2one', 'one2many', 'many2many'].includes(meta.type)) bad('expand', `"${path}" is not a relation.`);
  const context = await readableRelated(meta.relation as string, resolve, 'expand', `"${path}" leads to ${meta.relation}, which this credential may not read.`);
  const param = (name: string): string => `expand[${path}][${name}]`;
  const rawFields = options.get('fields');
  const rawLimit = options.get('limit');
  if (rawLimit !== undefined && meta.type === 'many2one') bad(param('limit'), `"${path}" is a many2one: it has no limit.`);
  const limit = meta.type === 'many2one' ? null : x2manyLimit(path, param('limit'), rawLimit, context);
  const filter = await parseFilter(options.get('filter'), context, resolve);
  return {
    context,
    fields: rawFields === undefined ? defaultFields(context) : parseFieldList(rawFields, context, param('fields')),
    domain: andDomains(...context.grant.domains, filter),
    order: options.get('sort') === undefined ? null : parseSortValue(param('sort'), 'sort', options.get('sort') as string, context),
    limit,
    children: new Map(),
  };
}

/** The expansion tree of a request, or an empty map without `expand`. */
export async function parseExpand(query: RawQuery, root: ModelContext, resolve: ModelContextResolver): Promise<Map<string, ExpandNode>> {
  const raw = singleParam(query, 'expand');
  const paths = raw === undefined || raw.trim() === '' ? new Set<string>() : listPaths(raw);
  const options = readOptions(query, paths);
  const top = new Map<string, ExpandNode>();
  const nodes = new Map<string, ExpandNode>();
  // Shorter paths first: a node's parent exists before the node.
  for (const path of [...paths].sort((a, b) => a.split('.').length - b.split('.').length)) {
    const segments = path.split('.');
    const field = segments.pop() as string;
    const parentPath = segments.join('.');
    const parent = parentPath ? (nodes.get(parentPath) as ExpandNode) : null;
    const node = await buildNode(parent ? parent.context : root, path, field, options.get(path) ?? new Map(), resolve);
    nodes.set(path, node);
    (parent ? parent.children : top).set(field, node);
  }
  return top;
}

/** The reader specification of docs/bridge-protocol.md for fields plus expansions. */
export interface ReadSpec {
  fields: string[];
  expand?: Record<string, ReadSpec & { domain?: Domain; order?: string | null; limit?: number | null }>;
}

export function buildReadSpec(fields: string[], expand: Map<string, ExpandNode>): ReadSpec {
  const spec: ReadSpec = { fields: fields.filter((f) => !expand.has(f)) };
  if (expand.size) {
    spec.expand = {};
    for (const [field, node] of expand) {
      spec.expand[field] = { ...buildReadSpec(node.fields, node.children), domain: node.domain, order: node.order, limit: node.limit };
    }
  }
  return spec;
}

/** The value shape of a read with these expansions (values/record-values.ts). */
export function expandShape(fields: ModelFields, expand: Map<string, ExpandNode>): RecordShape {
  return {
    fields,
    expanded: new Map([...expand].map(([field, node]) => [field, expandShape(node.context.fields, node.children)])),
  };
}
