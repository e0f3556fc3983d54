/**
 * Webhook test fixtures: a real node:http receiver on 127.0.0.1 that records
 * every request and answers as the test scripts it, webhooks created through
 * Odoo's external API as the admin (with `allow_private`, which only an
 * administrator may set), and direct SQL on the outbox tables.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import pg from 'pg';
import { admin, eventually, stack } from './stack.js';
import { unique } from './fixtures.js';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  receivedAt: number;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

/** Answers each request with the next scripted answer, then with `fallback`. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** TCP connections accepted (a refused destination must make none). */
  connections = 0;
  script: ScriptedAnswer[] = [];
  fallback: ScriptedAnswer = { status: 200, body: 'ok' };
  private server: Server | null = null;
  private waiters: Array<() => void> = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          /* not JSON */
        }
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json, receivedAt: Date.now() });
        for (const wake of this.waiters.splice(0)) wake();
        const answer = this.script.shift() ?? this.fallback;
        const send = () => {
          res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
          res.end(answer.body ?? '');
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    this.server.on('connection', () => {
      this.connections += 1;
    });
    this.server.keepAliveTimeout = 30_000;
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  /** Waits until `accept(requests)` holds (or the timeout passes) and answers the requests. */
  async waitFor(accept: (requests: ReceivedRequest[]) => boolean, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (!accept(this.requests) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(200, Math.max(1, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export interface WebhookSpec {
  url: string;
  model?: string;
  /** Default: created only. */
  events?: Array<'created' | 'updated' | 'deleted' | 'restored'>;
  allowPrivate?: boolean;
  values?: Record<string, unknown>;
}

async function exposedModel(model: string): Promise<number> {
  const rpc = await admin();
  const [id] = await rpc.execute<number[]>('rest.gateway.model', 'search', [[['model', '=', model]]]);
  if (!id) throw new Error(`${model} is not exposed in the stack`);
  return id;
}

/** A webhook made by the admin in Odoo (no API key), with its first secret. */
export async function createWebhook(spec: WebhookSpec): Promise<{ id: number; secret: string }> {
  const rpc = await admin();
  const events = new Set(spec.events ?? ['created']);
  const id = await rpc.execute<number>('rest.gateway.webhook', 'create', [{
    name: unique('hook'),
    url: spec.url,
    exposed_model_id: await exposedModel(spec.model ?? 'res.partner'),
    on_create: events.has('created'),
    on_update: events.has('updated'),
    on_delete: events.has('deleted'),
    on_restore: events.has('restored'),
    allow_private: spec.allowPrivate ?? true,
    ...spec.values,
  }]);
  const action = await rpc.execute<{ context: { default_secret: string } }>('rest.gateway.webhook', 'action_generate_secret', [[id]]);
  return { id, secret: action.context.default_secret };
}

/** Archives every webhook so that a test's events are the only ones. */
export async function archiveAllWebhooks(): Promise<void> {
  await sql(`UPDATE rest_gateway_webhook SET active = false WHERE active`);
}

let pool: pg.Pool | null = null;

export async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: stack.database_url, max: 3, application_name: 'rgw-webhook-test' });
  const result = await pool.query(text, params);
  return result.rows as T[];
}

export async function closeSql(): Promise<void> {
  await pool?.end();
  pool = null;
}

export interface EventRow {
  id: number;
  res_id: number;
  event: string;
  state: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
}

export function webhookEvents(webhookId: number): Promise<EventRow[]> {
  return sql<EventRow>(
    'SELECT id, res_id, event, state, attempts, last_status, last_error FROM rest_gateway_webhook_event WHERE webhook_id = $1 ORDER BY id',
    [webhookId],
  );
}

export function webhookAttempts(webhookId: number): Promise<Array<{ event_id: number | null; status: number | null; error: string | null; response_excerpt: string | null; duration_ms: number }>> {
  return sql('SELECT event_id, status, error, response_excerpt, duration_ms FROM rest_gateway_webhook_attempt WHERE webhook_id = $1 ORDER BY id', [webhookId]);
}

/** Waits until every event of the webhook satisfies `accept`. */
export function eventsSettled(webhookId: number, accept: (rows: EventRow[]) => boolean, timeoutMs = 15_000): Promise<EventRow[]> {
  return eventually(() => webhookEvents(webhookId), accept, timeoutMs);
}

export async function createPartner(name: string): Promise<number> {
  return (await admin()).execute<number>('res.partner', 'create', [{ name }]);
}

export async function writePartner(id: number, values: Record<string, unknown>): Promise<void> {
  await (await admin()).execute('res.partner', 'write', [[id], values]);
}
