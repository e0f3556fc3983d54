/** GET /{model}/fields: field metadata the caller may see, in the request's language; blocked fields absent. */
import { isFieldAllowed } from '../../policy/authorize.js';
import { modelResolver, runOperations } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';

const ATTRIBUTES = ['type', 'string', 'relation', 'required', 'readonly', 'selection', 'help', 'store', 'sortable', 'searchable'];

export const listFields: RouteDefinition = {
  method: 'get',
  path: '/:model/fields',
  operationId: 'listFields',
  summary: 'Describe the fields of a model',
  tags: ['Records'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    const context = await modelResolver(ctx, services)(ctx.params.model as string, 'read');
    // Asked again (not from the cache) for labels and help in the request's language.
    const [raw] = await runOperations(ctx, services, [{ model: context.grant.model, method: 'fields_get', kwargs: { attributes: ATTRIBUTES } }], { readonly: true });
    const described = raw as Record<string, Record<string, unknown>>;
    const data: Record<string, unknown> = {};
    for (const name of Object.keys(described).sort()) {
      if (!isFieldAllowed(context.grant.fields, name) || !context.fields.has(name)) continue;
      const f = described[name] as Record<string, unknown>;
      data[name] = {
        type: f.type,
        string: f.string ?? name,
        relation: f.relation || null,
        required: Boolean(f.required),
        readonly: Boolean(f.readonly),
        stored: Boolean(f.store),
        sortable: Boolean(f.sortable),
        filterable: Boolean(f.searchable) || Boolean(f.store),
        selection: Array.isArray(f.selection) ? (f.selection as Array<[string, string]>).map(([value, label]) => ({ value, label })) : null,
        help: f.help || null,
      };
    }
    ctx.body = { data };
  },
};
