/**
 * Searches that run a model's name search (D-S4): a condition on
 * `display_name`, and a relation compared with text (Odoo turns it into
 * `display_name` on the related model). The name search compares with the
 * model's `_rec_names_search` fields (res.partner: complete name, email,
 * reference, VAT...), so it reads them: it is allowed only where the
 * caller may read every one of them. Pure.
 */
import { errors } from '../errors.js';
import { isFieldAllowed } from './authorize.js';
import type { ModelContext } from './types.js';

/** The fields a name search on this model would compare with that the caller may not read; empty when allowed. */
export function hiddenNameSearchFields(context: ModelContext): string[] {
  const rules = context.grant.fields;
  if (rules.allowed === null && rules.blocked.size === 0) return [];
  const nameSearch = context.nameSearch;
  // an override of _search_display_name compares with fields of its own choosing (res.users: login)
  if (!nameSearch || nameSearch.extended) return ['display_name'];
  return ['display_name', ...nameSearch.fields].filter((field) => !isFieldAllowed(rules, field));
}

export function checkNameSearch(context: ModelContext, param: string): void {
  const hidden = hiddenNameSearchFields(context);
  if (hidden.length === 0) return;
  const model = context.grant.model;
  throw errors.forbidden(
    'field_not_allowed',
    `A search on the name of ${model} compares with fields this credential may not read (${hidden.join(', ')}); filter on fields it may read instead, or on ids.`,
    { errors: [{ field: param, message: `name search on ${model} is not available` }] },
  );
}
