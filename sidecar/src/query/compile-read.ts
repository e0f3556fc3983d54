/**
 * Read requests → bridge operations: the domain (configuration AND scope
 * AND filter) and a web_read specification for the fields asked.
 */
import type { Domain, ModelContext } from '../policy/types.js';
import { andDomains } from './domain.js';
import type { Page } from './pagination.js';

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
  order: string | null;
  page: Page;
  /** false: skip the exact total; one extra record tells whether a next page exists. */
  count: boolean;
}

/**
 * A page of records, and the total when asked, in one bridge call.
 * `search_read` renders many2one values as `[id, name]` more cheaply than
 * `web_search_read`'s nested specification (measured: ~2.5 ms on 80 rows).
 */
export function compileSearch(context: ModelContext, request: SearchRequest): CompiledOperation[] {
  const { page } = request;
  const domain = scopedDomain(context, request.domain);
  const read: CompiledOperation = {
    model: context.grant.model,
    method: 'search_read',
    kwargs: {
      domain,
      fields: request.fields,
      offset: page.offset,
      limit: request.count ? page.limit : page.limit + 1,
      order: request.order,
    },
  };
  return request.count ? [read, { model: context.grant.model, method: 'search_count', args: [domain] }] : [read];
}

export interface SearchPage {
  records: Array<Record<string, unknown>>;
  total: number | null;
  hasNext: boolean;
}

export function decodeSearch(request: SearchRequest, results: unknown[]): SearchPage {
  const rows = (results[0] ?? []) as Array<Record<string, unknown>>;
  if (request.count) {
    const total = Number(results[1]);
    return { records: rows, total, hasNext: request.page.offset + rows.length < total };
  }
  return { records: rows.slice(0, request.page.limit), total: null, hasNext: rows.length > request.page.limit };
}

export function compileCount(context: ModelContext, domain: Domain): CompiledOperation {
  return { model: context.grant.model, method: 'search_count', args: [scopedDomain(context, domain)] };
}
