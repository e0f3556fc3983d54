import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BridgeClient } from '../../../src/odoo/bridge-client.js';
import { BridgeResponseTooLargeError } from '../../../src/odoo/bridge-types.js';
import { toApiError } from '../../../src/odoo/errors.js';

const LIMIT = 1_000;

describe('bridge answers past BRIDGE_RESPONSE_LIMIT', () => {
  let server: Server;
  const clients: BridgeClient[] = [];
  before(async () => {
    // the first path segment says how to answer: /<announced|chunked>-<size>/rest_gateway/bridge
    server = createServer((request, response) => {
      const [mode, size] = (request.url ?? '').split('/')[1]?.split('-') ?? [];
      const body = JSON.stringify({ results: ['x'.repeat(Number(size))] });
      if (mode === 'chunked') {
        // no Content-Length: the limit is counted while reading
        response.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < body.length; i += 100) response.write(body.slice(i, i + 100));
        response.end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    server.close();
  });

  function clientFor(base: string): BridgeClient {
    const { port } = server.address() as { port: number };
    const client = new BridgeClient({
      odooUrl: `http://127.0.0.1:${port}/${base}`,
      odooDb: 'db',
      connections: 1,
      timeoutMs: 5_000,
      responseLimit: LIMIT,
      secret: { get: async () => 's', refresh: async () => 's' },
    });
    clients.push(client);
    return client;
  }

  const call = (readonly: boolean) => ({ uid: 2, context: {}, readonly, operations: [] });

  for (const mode of ['announced', 'chunked']) {
    it(`reads an answer under the limit and drops one over it (${mode})`, async () => {
      assert.equal(((await clientFor(`${mode}-500`).run(call(true))).results[0] as string).length, 500);
      await assert.rejects(clientFor(`${mode}-5000`).run(call(true)), (error: unknown) => error instanceof BridgeResponseTooLargeError && !error.write);
      await assert.rejects(clientFor(`${mode}-5000`).run(call(false)), (error: unknown) => error instanceof BridgeResponseTooLargeError && error.write);
    });
  }

  it('maps to 422 response_too_large, telling a write it may have been applied', () => {
    const read = toApiError(new BridgeResponseTooLargeError(LIMIT));
    assert.equal(read.status, 422);
    assert.equal(read.code, 'response_too_large');
    assert.match(read.detail, /fewer fields/);
    assert.match(toApiError(new BridgeResponseTooLargeError(LIMIT, true)).detail, /may have been applied/);
  });
});
