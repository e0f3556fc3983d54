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

export type Specification = Record<string, { fields?: Specification } | Record<string, never>>;

export function buildSpecification(context: ModelContext, fields: string[]): Specification {
  const spec: Specification = {};
  for (const name of fields) {
    spec[name] = context.fields.get(name)?.type === 'many2one' ? { fields: { display_name: {} } } : {};
  }
  return spec;
}

export function scopedDomain(context: ModelContext, filter: Domain): Domain {
  return andDomains(...context.grant.domains, filter);
}

export interface SearchRequest {
  domain: Domain;
  fields: string[];
  order: string | null;
  page: Page;
  /** false: skip the exact total; the count is capped to detect a next page. */
  count: boolean;
}

export function compileSearch(context: ModelContext, request: SearchRequest): CompiledOperation {
  const { page } = request;
  return {
    model: context.grant.model,
    method: 'web_search_read',
    kwargs: {
      domain: scopedDomain(context, request.domain),
      specification: buildSpecification(context, request.fields),
      offset: page.offset,
      limit: page.limit,
      order: request.order,
      count_limit: request.count ? null : page.offset + page.limit + 1,
    },
  };
}

export function compileCount(context: ModelContext, domain: Domain): CompiledOperation {
  return { model: context.grant.model, method: 'search_count', args: [scopedDomain(context, domain)] };
}
