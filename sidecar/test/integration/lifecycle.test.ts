/**
 * Process lifecycle: a second sidecar on the same database refuses bad
 * settings with a clear message, and on SIGTERM finishes the requests in
 * flight before exiting 0.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stack } from './support/stack.js';

const ENTRY = join(import.meta.dirname, '..', '..', 'dist', 'server.js');

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function startSidecar(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [ENTRY], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

describe('sidecar process', () => {
  it('refuses to start on invalid settings, naming them', async () => {
    const child = startSidecar({ DATABASE_URL: 'mysql://nope', ODOO_URL: 'not a url', PORT: 'x' });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    for (const name of ['DATABASE_URL', 'ODOO_URL', 'ODOO_DB', 'PORT']) assert.match(child.output(), new RegExp(name));
  });

  it('drains in-flight requests on SIGTERM and exits 0', async () => {
    const port = await freePort();
    const child = startSidecar({ DATABASE_URL: stack.database_url, ODOO_URL: stack.odoo_url, ODOO_DB: stack.db, PORT: String(port), HOST: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i += 1) {
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      assert.ok(i < 200, `sidecar did not start: ${child.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const inFlight = Array.from({ length: 16 }, () =>
      fetch(`${base}/api/v1/res.partner?limit=50&fields=name,email,country_id`, { headers: { Authorization: `Bearer ${stack.api_key}` } }).then((r) => r.status),
    );
    child.kill('SIGTERM');
    // During the drain (SHUTDOWN_DRAIN_MS, 1 s) the sidecar still serves, asking clients to close.
    await new Promise((r) => setTimeout(r, 100));
    const late = await fetch(`${base}/api/v1/models`, { headers: { Authorization: `Bearer ${stack.api_key}` } });
    assert.equal(late.status, 200);
    assert.equal(late.headers.get('connection'), 'close');
    const statuses = await Promise.all(inFlight);
    assert.deepEqual(statuses, statuses.map(() => 200));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0, child.output());
    assert.match(child.output(), /"msg":"stopped"/);
  });
});
