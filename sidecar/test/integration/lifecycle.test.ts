/**
 * Process lifecycle: a second sidecar on the same database refuses bad
 * settings with a clear message, and on SIGTERM finishes the requests in
 * flight before exiting 0.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startSidecar, stopSidecars } from './support/sidecar-process.js';
import { stack } from './support/stack.js';

after(stopSidecars);

describe('sidecar process', () => {
  it('refuses to start on invalid settings, naming them', async () => {
    const child = await startSidecar({ env: { DATABASE_URL: 'mysql://nope', ODOO_URL: 'not a url', ODOO_DB: undefined, PORT: 'x', HOST: undefined }, waitFor: false });
    const code = await child.exited;
    assert.equal(code, 1);
    for (const name of ['DATABASE_URL', 'ODOO_URL', 'ODOO_DB', 'PORT']) assert.match(child.output(), new RegExp(name));
  });

  it('drains in-flight requests on SIGTERM and exits 0', async () => {
    const child = await startSidecar();
    const base = child.origin;
    const inFlight = Array.from({ length: 16 }, () =>
      fetch(`${base}/api/v1/res.partner?limit=50&fields=name,email,country_id`, { headers: { Authorization: `Bearer ${stack.api_key}` } }).then((r) => r.status),
    );
    const stopped = child.stop('SIGTERM');
    // During the drain (SHUTDOWN_DRAIN_MS, 1 s) the sidecar still serves, asking clients to close.
    await new Promise((r) => setTimeout(r, 100));
    const late = await fetch(`${base}/api/v1/models`, { headers: { Authorization: `Bearer ${stack.api_key}` } });
    assert.equal(late.status, 200);
    assert.equal(late.headers.get('connection'), 'close');
    const statuses = await Promise.all(inFlight);
    assert.deepEqual(statuses, statuses.map(() => 200));
    const code = await stopped;
    assert.equal(code, 0, child.output());
    assert.match(child.output(), /"msg":"stopped"/);
  });
});
