/**
 * Read requests → bridge operations: the domain (configuration AND scope
 * AND filter) and a web_read specification for the fields asked.
 */
import type { Domain, ModelContext } from '../policy/types.js';
import { andDomains } from './domain.js';
import type { Page } from './pagination.js';
import { buildReadSpec, type ExpandNode } from './expand.js';

/** Structural twin of odoo/bridge-types BridgeOperation (query/ does not import odoo/). */
export interface CompiledOperation {
  model: string;
  method: string;
  ids?: number[];
  args?: unknown[];
  kwargs?: Record<string, unknown>;
}

export function scopedDomain(context: ModelContext, filter: Domain): Domain {
  return andDomains(...context.grant.domains, filter);
}

export interface SearchRequest {
  domain: Domain;
  fields: string[];
  expand: Map<string, ExpandNode>;
  order: string | null;
  page: Page;
  /** false: skip the exact total; one extra record tells whether a next page exists. */
  count: boolean;
}

/**
 * A page of records and the total when asked, in one bridge call. Without
 * expansions: `search_read` plus `search_count` (measured cheaper in Odoo
 * than the reader); with expansions: the addon's `rest_gateway_search`,
 * which counts only when the page is full (docs/decisions.md D6).
 */
export function compileSearch(context: ModelContext, request: SearchRequest): CompiledOperation[] {
  const { page } = request;
  const model = context.grant.model;
  const domain = scopedDomain(context, request.domain);
  const limit = request.count ? page.limit : page.limit + 1;
  if (request.expand.size === 0) {
    const read: CompiledOperation = {
      model,
      method: 'search_read',
      kwargs: { domain, fields: request.fields, offset: page.offset, limit, order: request.order },
    };
    return request.count ? [read, { model, method: 'search_count', args: [domain] }] : [read];
  }
  return [
    {
      model,
      method: 'rest_gateway_search',
      args: [domain, buildReadSpec(request.fields, request.expand)],
      kwargs: { offset: page.offset, limit, order: request.order, count: request.count },
    },
  ];
}

export interface SearchPage {
  records: Array<Record<string, unknown>>;
  total: number | null;
  hasNext: boolean;
}

export function decodeSearch(request: SearchRequest, results: unknown[]): SearchPage {
  const { records, length } =
    request.expand.size === 0
      ? { records: (results[0] ?? []) as Array<Record<string, unknown>>, length: request.count ? Number(results[1]) : null }
      : ((results[0] ?? { records: [], length: null }) as { records: Array<Record<string, unknown>>; length: number | null });
  if (request.count) {
    const total = Number(length);
    return { records, total, hasNext: request.page.offset + records.length < total };
  }
  return { records: records.slice(0, request.page.limit), total: null, hasNext: records.length > request.page.limit };
}

export function compileCount(context: ModelContext, domain: Domain): CompiledOperation {
  return { model: context.grant.model, method: 'search_count', args: [scopedDomain(context, domain)] };
}
