/**
 * Methods the API does not serve at all (TRACE, PROPFIND, …) are answered
 * at the edge, before authentication and body parsing: 405 with the
 * path's `Allow` (RFC 9110 §15.5.6), or the 404 of a path no route has.
 * The router itself would answer them 501, which is a server fault.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';
import type { ApiState } from './types.js';

/** What the router implements (HEAD comes with GET, OPTIONS is answered by CORS or the router). */
export const SERVED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The methods routes serve on `path`, in the router's order. */
export function allowedMethods(router: Router<ApiState>, path: string): string[] {
  const allowed = new Set<string>();
  for (const layer of router.match(path, 'GET').path) for (const method of layer.methods) allowed.add(method);
  return [...allowed];
}

export function methodGuard(router: Router<ApiState>): Middleware<ApiState> {
  return async (ctx, next) => {
    if (SERVED_METHODS.has(ctx.method)) return next();
    const allowed = allowedMethods(router, ctx.path);
    if (allowed.length === 0) throw new ApiError(404, 'not_found', 'No route matches this path.');
    throw new ApiError(405, 'method_not_allowed', `${ctx.method} is not served; this resource allows ${allowed.join(', ')}.`, {
      headers: { Allow: allowed.join(', ') },
    });
  };
}
