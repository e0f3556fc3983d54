/**
 * Runs bridge calls against Odoo over a keep-alive connection pool sized to
 * Odoo's workers. One call = one HTTP request = one Odoo transaction.
 */
import { Pool, type Dispatcher } from 'undici';
import { signBridgeRequest } from './signature.js';
import {
  BRIDGE_ERROR_KINDS,
  BridgeError,
  BridgeResponseTooLargeError,
  BridgeUnavailableError,
  type BridgeCall,
  type BridgeErrorKind,
} from './bridge-types.js';

export interface BridgeClientOptions {
  odooUrl: string;
  odooDb: string;
  connections: number;
  timeoutMs: number;
  /** Bytes of an answer read at most; past it the answer is dropped (BridgeResponseTooLargeError). */
  responseLimit: number;
  /** Current signing secret; `refresh` re-reads it after a signature refusal (rotation). */
  secret: { get(): Promise<string>; refresh(): Promise<string> };
}

export interface BridgeResponse {
  results: unknown[];
  durationMs: number;
}

function isKind(value: unknown): value is BridgeErrorKind {
  return typeof value === 'string' && (BRIDGE_ERROR_KINDS as readonly string[]).includes(value);
}

export class BridgeClient {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: BridgeClientOptions) {
    const url = new URL(options.odooUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async run(call: BridgeCall): Promise<BridgeResponse> {
    const body = JSON.stringify({
      uid: call.uid,
      context: call.context,
      atomic: call.atomic ?? true,
      operations: call.operations,
      ...(call.idempotency ? { idempotency: call.idempotency } : {}),
    });
    const route = `/rest_gateway/bridge${call.readonly ? '/ro' : ''}`;
    let secret = await this.options.secret.get();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.post(route, body, secret);
      } catch (error) {
        if (error instanceof BridgeError && error.kind === 'signature' && attempt === 0) {
          secret = await this.options.secret.refresh();
          continue;
        }
        if (error instanceof BridgeResponseTooLargeError && !call.readonly) throw new BridgeResponseTooLargeError(error.limit, true);
        throw error;
      }
    }
  }

  /**
   * Runs one password operation on the authentication route
   * (`/rest_gateway/bridge/auth`, docs/bridge-protocol.md); answers its JSON
   * body as is (`{"result"}` or `{"error": {"kind", ...}}`). The body holds a
   * password: it is never logged, and errors never carry it.
   */
  async runAuth(payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    const route = '/rest_gateway/bridge/auth';
    let secret = await this.options.secret.get();
    for (let attempt = 0; ; attempt += 1) {
      const { statusCode, parsed } = await this.exchange(route, body, secret);
      const error = (parsed as { error?: { kind?: unknown } } | null)?.error;
      if (statusCode === 401 && error?.kind === 'signature' && attempt === 0) {
        secret = await this.options.secret.refresh();
        continue;
      }
      if (error?.kind === 'signature') throw new BridgeError('signature', 'The bridge refused the signature.');
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
      throw new BridgeUnavailableError(`Odoo answered HTTP ${statusCode} with an unexpected body`);
    }
  }

  /**
   * POSTs `body` to the bridge route `route` (a path such as
   * `/rest_gateway/bridge`, under ODOO_URL's base path), signed for that
   * route and database with a fresh nonce: each attempt is a new signature.
   */
  private async exchange(route: string, body: string, secret: string): Promise<{ statusCode: number; parsed: unknown; durationMs: number }> {
    const started = performance.now();
    const method = 'POST';
    let statusCode: number;
    let text: string;
    try {
      const response = await this.pool.request({
        method,
        path: `${this.basePath}${route}`,
        body,
        headers: {
          'content-type': 'application/json',
          'x-odoo-database': this.options.odooDb,
          ...signBridgeRequest(secret, { method, path: route, database: this.options.odooDb, body, timestamp: Date.now() / 1000 }),
        },
      });
      statusCode = response.statusCode;
      text = await this.readBody(response);
    } catch (error) {
      if (error instanceof BridgeResponseTooLargeError) throw error;
      throw new BridgeUnavailableError(`Odoo is unreachable: ${(error as Error).message}`, { cause: error });
    }
    try {
      return { statusCode, parsed: JSON.parse(text) as unknown, durationMs: performance.now() - started };
    } catch {
      throw new BridgeUnavailableError(`Odoo answered HTTP ${statusCode} without the bridge's JSON`);
    }
  }

  /**
   * The answer's text, read up to `responseLimit` bytes: past it (or when
   * Content-Length announces more) the connection is dropped instead of
   * buffering an answer of any size.
   */
  private async readBody(response: Dispatcher.ResponseData): Promise<string> {
    const limit = this.options.responseLimit;
    const announced = Number(response.headers['content-length']);
    const tooLarge = (): never => {
      // destroying emits an abort error on the stream: keep it from becoming an uncaught one
      response.body.on('error', () => undefined);
      response.body.destroy();
      throw new BridgeResponseTooLargeError(limit);
    };
    if (Number.isFinite(announced) && announced > limit) tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  private async post(route: string, body: string, secret: string): Promise<BridgeResponse> {
    const { statusCode, parsed, durationMs } = await this.exchange(route, body, secret);
    if (parsed && typeof parsed === 'object') {
      const payload = parsed as { results?: unknown; error?: { kind?: unknown; message?: unknown; operation?: unknown } };
      if (payload.error) {
        const kind = isKind(payload.error.kind) ? payload.error.kind : 'internal';
        const message = typeof payload.error.message === 'string' ? payload.error.message : 'Odoo refused the operation.';
        const operation = typeof payload.error.operation === 'number' ? payload.error.operation : null;
        throw new BridgeError(kind, message, operation);
      }
      if (statusCode === 200 && Array.isArray(payload.results)) return { results: payload.results, durationMs };
    }
    throw new BridgeUnavailableError(`Odoo answered HTTP ${statusCode} with an unexpected body`);
  }

  /** Cheap reachability probe for /readyz. */
  async ping(): Promise<boolean> {
    try {
      const response = await this.pool.request({ method: 'GET', path: `${this.basePath}/web/health`, headersTimeout: 3_000 });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
