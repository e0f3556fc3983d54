/**
 * The query parameters of the record routes, declared once and combined by
 * each route definition (RouteDefinition.query): what the shared check in
 * http/query-check.ts accepts and what the OpenAPI document will describe.
 */
import type { QueryParameter } from '../http/types.js';

const param = (name: string, description: string, family = false): QueryParameter => (family ? { name, description, family } : { name, description });

export const FIELDS_PARAMS: readonly QueryParameter[] = [
  param('fields', 'Comma-separated fields to answer (default: the model\'s default set).'),
  param('binary', 'How binary fields are answered: base64 (default) or data_url.'),
];

export const EXPAND_PARAMS: readonly QueryParameter[] = [
  param('expand', 'Relations to expand, comma-separated, dotted up to 4 levels.'),
  param('expand', 'expand[path][fields|filter|sort|limit]: options of one expanded relation.', true),
];

export const FILTER_PARAMS: readonly QueryParameter[] = [
  param('filter', 'A JSON Odoo domain.'),
  param('filter', 'filter[field][op]=value: structured filters, AND-ed.', true),
];

export const LIST_PARAMS: readonly QueryParameter[] = [
  ...FILTER_PARAMS,
  ...FIELDS_PARAMS,
  ...EXPAND_PARAMS,
  param('sort', 'Sort keys: name,-create_date.'),
  param('order', 'Sort in Odoo syntax: name desc, id (alias of sort).'),
  param('limit', 'Page size (default and maximum set by the admin).'),
  param('page', 'Page number, from 1.'),
  param('page_number', 'Alias of page.'),
  param('offset', 'Records to skip.'),
  param('skip', 'Alias of offset.'),
  param('count', 'false: skip the total.'),
];

export const READ_PARAMS: readonly QueryParameter[] = [...FIELDS_PARAMS, ...EXPAND_PARAMS];

export const BULK_GET_PARAMS: readonly QueryParameter[] = [param('ids', 'Comma-separated record ids, in the order answered.'), ...READ_PARAMS];

export const CHANGES_PARAMS: readonly QueryParameter[] = [
  param('since', 'A next_cursor this feed returned, or 0 for the oldest change kept; absent: from now.'),
  param('limit', 'Change rows per page.'),
  ...READ_PARAMS,
];

/** Writes answer the written record: which fields, and how binary values look. */
export const WRITE_PARAMS: readonly QueryParameter[] = FIELDS_PARAMS;

export const DELETE_PARAMS: readonly QueryParameter[] = [
  param('force', 'true: delete even when the model has active (default: archive).'),
  ...WRITE_PARAMS,
];
