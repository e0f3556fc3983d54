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
 * A page of records (with their expanded relations) and the total when
 * asked, in one bridge call: the addon's `rest_gateway_search`, which
 * counts only when the page is full (docs/decisions.md D6).
 */
export function compileSearch(context: ModelContext, request: SearchRequest): CompiledOperation[] {
  const { page } = request;
  return [
    {
      model: context.grant.model,
      method: 'rest_gateway_search',
      args: [scopedDomain(context, request.domain), buildReadSpec(request.fields, request.expand)],
      kwargs: {
        offset: page.offset,
        limit: request.count ? page.limit : page.limit + 1,
        order: request.order,
        count: request.count,
      },
    },
  ];
}

export interface SearchPage {
  records: Array<Record<string, unknown>>;
  total: number | null;
  hasNext: boolean;
}

export function decodeSearch(request: SearchRequest, results: unknown[]): SearchPage {
  const { records, length } = (results[0] ?? { records: [], length: null }) as { records: Array<Record<string, unknown>>; length: number | null };
  if (request.count) {
    const total = Number(length);
    return { records, total, hasNext: request.page.offset + records.length < total };
  }
  return { records: records.slice(0, request.page.limit), total: null, hasNext: records.length > request.page.limit };
}

export function compileCount(context: ModelContext, domain: Domain): CompiledOperation {
  return { model: context.grant.model, method: 'search_count', args: [scopedDomain(context, domain)] };
}
