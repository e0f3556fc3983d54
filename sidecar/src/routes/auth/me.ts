/**
 * GET /user/me: the acting user as Odoo sees them now (name, login,
 * companies, the groups that matter, language, time zone), and the
 * credential the request was made with.
 */
import { requirePrincipal, runOperations } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';

export const readMe: RouteDefinition = {
  method: 'get',
  path: '/user/me',
  operationId: 'readMe',
  summary: 'The authenticated user and credential',
  tags: ['Authentication'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    const principal = requirePrincipal(ctx);
    const [profile] = await runOperations(ctx, services, [{ model: 'res.users', method: 'rest_gateway_me' }], { readonly: true });
    ctx.body = {
      data: {
        ...(profile as Record<string, unknown>),
        credential: { kind: principal.kind, id: principal.credentialId, name: principal.credentialName, scheme: principal.scheme ?? 'bearer' },
      },
    };
  },
};
