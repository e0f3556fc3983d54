/**
 * The JSON logger (pino): one JSON line per event with the level's name, an
 * ISO time and the message; events below LOG_LEVEL dropped; secret fields
 * censored at any of the first levels.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, LOG_REDACTED } from '../../../src/observability/logger.js';

function capture(level: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  return { lines, log: createLogger(level, (line) => lines.push(line)) };
}

describe('createLogger', () => {
  it('writes one JSON line per event: level name, ISO time, message and fields, nothing else', () => {
    const { lines, log } = capture('debug');
    log.info('listening', { host: '0.0.0.0', port: 8080 });
    assert.equal(lines.length, 1);
    assert.ok(lines[0]?.endsWith('\n'));
    const event = JSON.parse(lines[0] as string) as Record<string, unknown>;
    assert.deepEqual(Object.keys(event).sort(), ['host', 'level', 'msg', 'port', 'time']);
    assert.equal(event.level, 'info');
    assert.equal(event.msg, 'listening');
    assert.match(String(event.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    log.warn('stopped');
    assert.match(lines[1] as string, /"msg":"stopped"/);
  });

  it('drops events below its level', () => {
    const { lines, log } = capture('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    assert.deepEqual(lines.map((line) => (JSON.parse(line) as { level: string }).level), ['warn', 'error']);
  });

  it('censors secret fields at the top and nested', () => {
    const { lines, log } = capture('info');
    log.error('request failed', {
      password: 'p1',
      client_secret: 's1',
      headers: { authorization: 'Bearer rgw_x_y', cookie: 'rgw_session=z' },
      cause: { config: { token: 't1' } },
      path: '/api/v1/models',
    });
    const text = lines[0] as string;
    for (const secret of ['p1', 's1', 'rgw_x_y', 'rgw_session=z', 't1']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    const event = JSON.parse(text) as { password: string; headers: { authorization: string }; path: string };
    assert.equal(event.password, LOG_REDACTED);
    assert.equal(event.headers.authorization, LOG_REDACTED);
    assert.equal(event.path, '/api/v1/models');
  });
});
