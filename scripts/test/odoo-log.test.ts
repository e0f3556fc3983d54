// How odoo-tests.ts judges Odoo's test log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeTestLog, parseRecord, parseSummary } from '../lib/odoo-log.js';

const line = (level: string, logger: string, message: string): string =>
  `2026-11-28 18:28:25,120 10273 ${level} rgw_test ${logger}: ${message} `;

test('parses a record line', () => {
  assert.deepEqual(parseRecord(line('INFO', 'odoo.tests.result', 'hello')), {
    level: 'INFO',
    db: 'rgw_test',
    logger: 'odoo.tests.result',
    message: 'hello ',
  });
  assert.equal(parseRecord('Traceback (most recent call last):'), undefined);
});

test('parses the summary', () => {
  assert.deepEqual(parseSummary("1 failed, 2 error(s) of 30 tests when loading database 'x'"), { failed: 1, errors: 2, tests: 30 });
  assert.equal(parseSummary('nothing here'), undefined);
});

test('a clean run', () => {
  const log = [
    line('INFO', 'odoo.service.server', 'Starting post tests'),
    line('WARNING', 'odoo.modules.module', 'Missing `author` key'),
    line('INFO', 'odoo.tests.result', "0 failed, 0 error(s) of 12 tests when loading database 'rgw_test'"),
  ].join('\n');
  const verdict = judgeTestLog(log);
  assert.deepEqual(verdict.summary, { failed: 0, errors: 0, tests: 12 });
  assert.deepEqual(verdict.errorBlocks, []);
  assert.deepEqual(verdict.failLines, []);
});

test('a failure keeps its traceback; the ERROR summary line is not counted twice', () => {
  const log = [
    line('INFO', 'odoo.addons.rest_gateway.tests.test_x', 'Starting TestX.test_a ...'),
    line('ERROR', 'odoo.addons.rest_gateway.tests.test_x', 'FAIL: TestX.test_a'),
    'Traceback (most recent call last):',
    '  File "x.py", line 1, in test_a',
    'AssertionError: 1 != 2',
    line('INFO', 'odoo.addons.rest_gateway.tests.test_x', 'Starting TestX.test_b ...'),
    line('ERROR', 'odoo.tests.result', "1 failed, 0 error(s) of 2 tests when loading database 'rgw_test'"),
  ].join('\n');
  const verdict = judgeTestLog(log);
  assert.deepEqual(verdict.summary, { failed: 1, errors: 0, tests: 2 });
  assert.equal(verdict.errorBlocks.length, 1);
  assert.match(verdict.errorBlocks[0] ?? '', /FAIL: TestX.test_a \nTraceback[\s\S]*AssertionError: 1 != 2$/);
});

test('an ERROR outside any test (e.g. at install) is reported', () => {
  const verdict = judgeTestLog(
    [
      line('CRITICAL', 'odoo.service.server', 'Failed to initialize database `rgw_test`.'),
      'Traceback (most recent call last):',
      'ImportError: boom',
    ].join('\n'),
  );
  assert.equal(verdict.summary, undefined);
  assert.equal(verdict.errorBlocks.length, 1);
});
