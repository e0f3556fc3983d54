/**
 * The shared check of query parameters: a route answers 400
 * `unknown_parameter` for any parameter it does not declare
 * (RouteDefinition.query), so that a typo such as `filters=` is caught
 * instead of silently ignored. `lang` is every route's (http/odoo-context.ts).
 */
import type { Middleware } from 'koa';
import { errors } from '../errors.js';
import type { ApiState, QueryParameter } from './types.js';

const MAX_NAMED = 20;
const MAX_NAME_LENGTH = 100;
const EVERY_ROUTE: readonly QueryParameter[] = [{ name: 'lang', description: 'Language of the answer (wins over Accept-Language).' }];

/** Whether a parameter name is one `declared` (or every route) takes; built once per route. */
function acceptor(declared: readonly QueryParameter[]): (key: string) => boolean {
  const all = [...EVERY_ROUTE, ...declared];
  const exact = new Set(all.filter((p) => !p.family).map((p) => p.name));
  const families = all.filter((p) => p.family).map((p) => `${p.name}[`);
  return (key) => exact.has(key) || families.some((prefix) => key.startsWith(prefix));
}

/** The parameter names of `query` that `declared` does not take, in the order given. */
export function unknownParameters(query: Record<string, unknown>, declared: readonly QueryParameter[]): string[] {
  const accepts = acceptor(declared);
  return Object.keys(query).filter((key) => !accepts(key));
}

function describe(declared: readonly QueryParameter[]): string {
  const names = [...new Set([...EVERY_ROUTE, ...declared].map((p) => (p.family ? `${p.name}[...]` : p.name)))];
  return names.join(', ');
}

/** Middleware refusing undeclared parameters before the route runs. */
export function checkQueryParameters(declared: readonly QueryParameter[]): Middleware<ApiState> {
  const accepts = acceptor(declared);
  const taken = describe(declared);
  return async (ctx, next) => {
    // hostile names are echoed bounded and JSON-quoted (control characters escaped)
    const unknown = Object.keys(ctx.query).filter((key) => !accepts(key)).slice(0, MAX_NAMED).map((name) => name.slice(0, MAX_NAME_LENGTH));
    if (unknown.length > 0) {
      const list = unknown.map((name) => JSON.stringify(name)).join(', ');
      throw errors.badRequest('unknown_parameter', `Unknown query parameter ${list}; this route takes ${taken}.`, {
        errors: unknown.map((field) => ({ field, message: 'not a parameter of this route' })),
      });
    }
    await next();
  };
}
