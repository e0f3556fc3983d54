/** The request log modes: which answers are logged, which only counted, and `off`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readGatewaySettings } from '../../../src/config/gateway-settings.js';
import { decide } from '../../../src/requestlog/log-mode.js';
import type { Logger } from '../../../src/observability/logger.js';

const statuses = [200, 201, 204, 304, 400, 401, 403, 404, 429, 500, 502];

describe('decide', () => {
  it('all: every answer is logged', () => {
    assert.deepEqual(statuses.map((s) => decide('all', s)), statuses.map(() => 'log'));
  });

  it('errors: 4xx and 5xx are logged, the rest only counted', () => {
    assert.deepEqual(statuses.map((s) => decide('errors', s)), statuses.map((s) => (s >= 400 ? 'log' : 'count')));
  });

  it('successes: below 400 are logged, the rest only counted', () => {
    assert.deepEqual(statuses.map((s) => decide('successes', s)), statuses.map((s) => (s < 400 ? 'log' : 'count')));
  });

  it('off: nothing is logged or counted', () => {
    assert.deepEqual(statuses.map((s) => decide('off', s)), statuses.map(() => 'skip'));
  });
});

describe('rest_gateway.request_log_mode', () => {
  const errors: string[] = [];
  const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (m) => errors.push(m) };

  it('is read from the settings, all by default, and an invalid value falls back to all with an error logged', () => {
    assert.equal(readGatewaySettings({}, log).requestLogMode, 'all');
    for (const mode of ['all', 'errors', 'successes', 'off'] as const) {
      assert.equal(readGatewaySettings({ 'rest_gateway.request_log_mode': mode }, log).requestLogMode, mode);
    }
    assert.equal(errors.length, 0);
    assert.equal(readGatewaySettings({ 'rest_gateway.request_log_mode': 'OFF; DROP TABLE' }, log).requestLogMode, 'all');
    assert.deepEqual(errors, ['ignoring an invalid request log mode']);
  });
});
