/**
 * Per-request access to Odoo: the model resolver bound to the caller, and
 * bridge calls run as the caller's user with their time added to
 * Server-Timing.
 */
import { errors } from '../errors.js';
import type { BridgeCall, BridgeContext } from '../odoo/bridge-types.js';
import type { BridgeResponse } from '../odoo/bridge-client.js';
import { requireGrant } from '../policy/authorize.js';
import { effectiveGrant } from '../policy/effective-rules.js';
import type { ModelContextResolver, Principal } from '../policy/types.js';
import type { CompiledOperation } from '../query/compile-read.js';
import { runIdempotentCall } from './idempotent-call.js';
import type { ApiContext, Services } from './types.js';

export function requirePrincipal(ctx: ApiContext): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw new Error('route reached without authentication');
  return principal;
}

export function modelResolver(ctx: ApiContext, services: Services): ModelContextResolver {
  const principal = requirePrincipal(ctx);
  return async (model, operation) => {
    const grant = requireGrant(principal, model, operation);
    const started = performance.now();
    const description = await services.fieldMetadata.describe(principal.user.id, model);
    ctx.state.odooMs += performance.now() - started;
    if (!description) throw errors.notFound('model_not_found', `No model named "${model}" is available.`);
    const { fields, nameSearch } = description;
    return { grant: effectiveGrant(grant, fields, principal.grants), fields, nameSearch, grants: principal.grants };
  };
}

export interface RunOptions {
  readonly: boolean;
  atomic?: boolean;
  context?: BridgeContext;
}

export async function runOperations(
  ctx: ApiContext,
  services: Services,
  operations: CompiledOperation[],
  options: RunOptions,
): Promise<unknown[]> {
  const principal = requirePrincipal(ctx);
  const call: BridgeCall = {
    uid: principal.user.id,
    context: { ...ctx.state.odooContext, ...options.context },
    operations,
    readonly: options.readonly,
    atomic: options.atomic ?? true,
  };
  const started = performance.now();
  let response: BridgeResponse;
  try {
    response = await runIdempotentCall(ctx.state.idempotency, call, (sent) => services.bridge.run(sent));
  } finally {
    ctx.state.odooMs += performance.now() - started;
  }
  return response.results;
}
