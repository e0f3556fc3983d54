/**
 * The HTTP client of webhook deliveries. Every connection's destination is
 * checked when it is made, on the address actually connected to (DNS
 * rebinding cannot slip a private address in after a check): names through
 * the socket's `lookup`, IP literals before the request. No redirects are
 * followed (a 3xx is an answer like any other), at most 64 KiB of an answer
 * is read and 1,024 characters kept, and one deadline covers connect, send
 * and the answer.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { checkAddress, RefusedAddressError } from './address-guard.js';
import { parseRetryAfter } from './retry-schedule.js';
import type { AttemptOutcome } from './types.js';

export const MAX_RESPONSE_BYTES = 64 * 1024;
export const EXCERPT_CHARS = 1_024;
export const USER_AGENT = 'rest-gateway-webhooks/1.0';

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** A `lookup` that resolves as usual, then refuses the answer unless every address passes the guard. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => checkAddress(a.address, allowPrivate)).find((v) => !v.allowed);
      if (refused && !refused.allowed) return callback(new RefusedAddressError(refused.reason) as NodeJS.ErrnoException, '', 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

/** Maps a failed request to the attempt's `error` text. */
export function describeFailure(error: unknown): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (err instanceof RefusedAddressError) return err.message;
  if (err?.cause instanceof RefusedAddressError) return err.cause.message;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.code === 'UND_ERR_HEADERS_TIMEOUT' || err?.code === 'UND_ERR_BODY_TIMEOUT' || err?.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return 'timeout';
  }
  switch (err?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    default:
      return (err?.message ?? 'request failed').slice(0, 200);
  }
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_RESPONSE_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8').slice(0, EXCERPT_CHARS);
}

export class OutboundClient {
  /** One agent per policy: a pooled connection made under `allow_private` is never reused without it. */
  private readonly strict: Agent;
  private readonly permissive: Agent;

  constructor(connectionsPerOrigin = 32) {
    const agent = (allowPrivate: boolean) =>
      new Agent({ connections: connectionsPerOrigin, pipelining: 1, keepAliveTimeout: 10_000, connect: { lookup: guardedLookup(allowPrivate) } });
    this.strict = agent(false);
    this.permissive = agent(true);
  }

  /** Sends one POST; never throws: a failure is an outcome with `error` set. */
  async send(outbound: OutboundRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const failed = (error: string): AttemptOutcome => ({ status: null, durationMs: performance.now() - started, responseExcerpt: null, error, retryAfterSeconds: null });
    let url: URL;
    try {
      url = new URL(outbound.url);
    } catch {
      return failed('invalid url');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return failed(`refused: scheme ${url.protocol}`);
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) {
      const verdict = checkAddress(literal, outbound.allowPrivate);
      if (!verdict.allowed) return failed(verdict.reason); // no lookup happens for a literal: check it here
    }
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'user-agent': USER_AGENT, ...outbound.headers, 'content-type': 'application/json' },
        body: outbound.body,
        dispatcher: outbound.allowPrivate ? this.permissive : this.strict,
        signal: AbortSignal.timeout(outbound.timeoutMs),
        headersTimeout: outbound.timeoutMs,
        bodyTimeout: outbound.timeoutMs,
      });
      const excerpt = await readExcerpt(response.body);
      const retryAfter = response.headers['retry-after'];
      return {
        status: response.statusCode,
        durationMs: performance.now() - started,
        responseExcerpt: excerpt,
        error: null,
        retryAfterSeconds: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, new Date()),
      };
    } catch (error) {
      return failed(describeFailure(error));
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.strict.close(), this.permissive.close()]);
  }
}

let shared: OutboundClient | null = null;

/** The process's client: deliveries and test sends share its connection pools. */
export function sharedOutboundClient(): OutboundClient {
  shared ??= new OutboundClient();
  return shared;
}
