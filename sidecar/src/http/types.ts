/**
 * Types shared by middleware and routes: the per-request state each
 * middleware writes, the services routes use, and a route's definition
 * (which the OpenAPI document is built from).
 */
import type Koa from 'koa';
import type { Settings } from '../config/env.js';
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { Db } from '../db/knex.js';
import type { BridgeClient } from '../odoo/bridge-client.js';
import type { FieldMetadataCache } from '../odoo/field-metadata.js';
import type { Logger } from '../observability/logger.js';
import type { Principal } from '../policy/types.js';
import type { BridgeContext } from '../odoo/bridge-types.js';
import type { AuthServices } from '../auth/types.js';
import type { RateLimitDecision } from '../ratelimit/fixed-window.js';
import type { RequestLogWriter } from '../requestlog/writer.js';
import type { IdempotencyState } from './idempotent-call.js';

export interface Services {
  settings: Settings;
  log: Logger;
  db: Db;
  config: GatewayConfigCache;
  bridge: BridgeClient;
  fieldMetadata: FieldMetadataCache;
  /** auth/: password checks, the Basic cache, usage counters, the session cookie. */
  auth: AuthServices;
  /** requestlog/: the request log's batched writer. */
  requestLog: RequestLogWriter;
}

export interface ApiState {
  /** observability/request-id.ts */
  requestId: string;
  startedAt: number;
  /** Time spent waiting for Odoo (Server-Timing). */
  odooMs: number;
  /** auth/client-address.ts */
  clientAddress: string;
  /** auth/authenticate.ts */
  principal?: Principal;
  /** http/odoo-context.ts: language and companies the request acts in. */
  odooContext?: BridgeContext;
  /**
   * Routes that identify the caller themselves (log in, OAuth token): who it
   * turned out to be, for the request log (requestlog/middleware.ts).
   */
  identified?: { authKind: 'session' | 'oauth'; userId: number; clientId: number | null };
  /** ratelimit/middleware.ts: the count behind the rate-limit headers. */
  rateLimit?: RateLimitDecision;
  /** http/idempotency.ts: the Idempotency-Key claim a write runs under (http/idempotent-call.ts). */
  idempotency?: IdempotencyState;
  /**
   * ratelimit/middleware.ts: counts this request against its client address
   * (once; later calls do nothing) and throws 429 past the anonymous limit.
   * Absent where nothing is limited (health checks, the `off` backend).
   */
  chargeAnonymous?: () => Promise<void>;
}

export type ApiContext = Koa.ParameterizedContext<ApiState> & { params: Record<string, string> };

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * A query parameter a route takes. `family`: the name stands for the
 * bracketed keys built on it (`filter[field][op]`, `expand[path][fields]`),
 * each checked by the route's own parser. `lang` is taken by every route
 * (http/odoo-context.ts) and need not be declared.
 */
export interface QueryParameter {
  name: string;
  family?: boolean;
  description: string;
}

export interface RouteDefinition {
  method: HttpMethod;
  /** Koa router path, relative to the mount point (e.g. `/:model/count`). */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  /** false: answered without a credential. */
  authenticated: boolean;
  /** Every query parameter the route takes; any other is a 400 `unknown_parameter` (http/query-check.ts). */
  query: readonly QueryParameter[];
  handler(ctx: ApiContext, services: Services): Promise<void>;
}
