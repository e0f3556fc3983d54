/** The request's whole filter: the JSON `filter` domain AND the structured `filter[field][op]` terms, all checked. */
import type { Domain, ModelContext, ModelContextResolver } from '../policy/types.js';
import { andDomains, checkClientDomain, parseFilter } from './domain.js';
import { singleParam, type RawQuery } from './params.js';
import { parseStructuredFilters } from './structured-filter.js';

export async function parseQueryFilters(query: RawQuery, context: ModelContext, resolve: ModelContextResolver): Promise<Domain> {
  const json = await parseFilter(singleParam(query, 'filter'), context, resolve);
  const structured = await checkClientDomain(parseStructuredFilters(query, context), context, resolve);
  return andDomains(json, structured);
}
