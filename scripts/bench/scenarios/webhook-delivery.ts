// Issue: webhooks. Delivery latency from commit to receipt for single-record updates committed one at a
// time (an autocommit SQL UPDATE, so the capture trigger runs; the clock starts when the UPDATE returns,
// i.e. after its commit; each update waits for its delivery), and deliveries per second to a local
// receiver for one multi-row UPDATE of BENCH_WEBHOOK_BULK partners (clock from commit to the last
// receipt). The webhooks are made through JSON-2 as the admin (allow_private: the receiver is on
// 127.0.0.1) and archived afterwards. Targets: p50 under 250 ms, at least 200 deliveries/s.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import type { OdooJson2 } from '../odoo-json2.js';

const UPDATES = Number(process.env.BENCH_WEBHOOK_UPDATES ?? 200);
const BULK = Number(process.env.BENCH_WEBHOOK_BULK ?? 2_000);

interface Receipt {
  resId: number;
  at: number;
}

/** A receiver answering 200 at once, calling `onReceipt` per delivery. */
async function startReceiver(onReceipt: (receipt: Receipt) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { id: number } };
        onReceipt({ resId: payload.data.id, at });
      } catch {
        /* not a delivery */
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/bench` };
}

async function createWebhook(json2: OdooJson2, url: string, name: string): Promise<number> {
  const [exposed] = await json2.call<number[]>('rest.gateway.model', 'search', { domain: [['model', '=', 'res.partner']] });
  const [id] = await json2.call<number[]>('rest.gateway.webhook', 'create', {
    vals_list: [{ name, url, exposed_model_id: exposed, on_create: false, on_update: true, on_delete: false, allow_private: true, field_ids: [] }],
  });
  await json2.call('rest.gateway.webhook', 'action_generate_secret', { ids: [id] });
  return id as number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function measureWebhookDelivery(databaseUrl: string, json2: OdooJson2, progress: (message: string) => void): Promise<string> {
  let waiting: { resId: number; resolve: (at: number) => void } | null = null;
  let bulkReceived = 0;
  let bulkTarget = BULK;
  let bulkDone: (() => void) | null = null;
  let bulkLast = 0;
  let phase: 'latency' | 'bulk' = 'latency';
  const { server, url } = await startReceiver((receipt) => {
    if (phase === 'latency' && waiting && receipt.resId === waiting.resId) waiting.resolve(receipt.at);
    if (phase === 'bulk') {
      bulkReceived += 1;
      bulkLast = receipt.at;
      if (bulkReceived >= bulkTarget) bulkDone?.();
    }
  });
  const db = new pg.Client({ connectionString: databaseUrl, application_name: 'rgw-bench-webhooks' });
  await db.connect();
  const hooks: number[] = [];
  try {
    const ids = (await db.query<{ id: number }>('SELECT id FROM res_partner WHERE active ORDER BY id LIMIT $1', [Math.max(BULK, 1)])).rows.map((r) => r.id);
    hooks.push(await createWebhook(json2, url, 'bench latency'));
    progress(`webhooks: ${UPDATES} single-record updates, one at a time…`);
    const latencies: number[] = [];
    for (let i = 0; i < UPDATES; i += 1) {
      const resId = ids[i % ids.length] as number;
      const received = new Promise<number>((resolve) => {
        waiting = { resId, resolve };
      });
      await db.query('UPDATE res_partner SET ref = $1 WHERE id = $2', [`wh-lat-${Date.now()}-${i}`, resId]);
      const committed = performance.now();
      const at = await Promise.race([received, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 10_000))]);
      latencies.push(Math.max(0, at - committed));
    }
    waiting = null;
    await json2.call('rest.gateway.webhook', 'write', { ids: hooks, vals: { active: false } });

    phase = 'bulk';
    bulkTarget = ids.length;
    hooks.push(await createWebhook(json2, url, 'bench throughput'));
    progress(`webhooks: one UPDATE of ${ids.length} partners…`);
    const allReceived = new Promise<void>((resolve) => {
      bulkDone = resolve;
    });
    await db.query("UPDATE res_partner SET ref = 'wh-bulk-' || id || '-' || $1 WHERE id = ANY($2)", [Date.now(), ids]);
    const committed = performance.now();
    await Promise.race([allReceived, new Promise((r) => setTimeout(r, 120_000))]);
    const seconds = ((bulkReceived >= ids.length ? bulkLast : performance.now()) - committed) / 1000;

    const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
    const lost = latencies.length - sorted.length;
    return [
      '',
      'webhook delivery (sidecar → local receiver on 127.0.0.1):',
      `  latency commit → receipt, ${UPDATES} single-record updates one at a time: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms${lost ? `, ${lost} not received within 10 s` : ''} (target p50 < 250 ms)`,
      `  throughput, one UPDATE of ${ids.length} partners: ${bulkReceived} received in ${seconds.toFixed(2)} s = ${(bulkReceived / seconds).toFixed(0)} deliveries/s (target ≥ 200/s)`,
      '',
    ].join('\n');
  } finally {
    if (hooks.length) await json2.call('rest.gateway.webhook', 'write', { ids: hooks, vals: { active: false } }).catch(() => undefined);
    await db.end();
    server.closeAllConnections();
    server.close();
  }
}
