import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findJsonProblem, MAX_JSON_DEPTH, percentDecodeStrict, replaceBadText, textProblem } from '../../../src/http/text-checks.js';

describe('text checks', () => {
  it('finds NUL characters and unpaired surrogates, and lets paired ones through', () => {
    assert.equal(textProblem('plain ☃ 😀'), null);
    assert.equal(textProblem('a\u0000b'), 'nul');
    assert.equal(textProblem('a\uD800b'), 'surrogate');
    assert.equal(textProblem('a\uDC00'), 'surrogate');
    assert.equal(textProblem('\uDE00\uD83D'), 'surrogate'); // reversed pair
  });

  it('replaces what cannot be stored with U+FFFD', () => {
    assert.equal(replaceBadText('a\u0000b\uD800c😀'), 'a\uFFFDb\uFFFDc😀');
    assert.equal(replaceBadText('clean'), 'clean');
  });

  it('decodes percent-encoded UTF-8 strictly', () => {
    assert.equal(percentDecodeStrict('a%20b+c', true), 'a b c');
    assert.equal(percentDecodeStrict('a+b', false), 'a+b');
    assert.equal(percentDecodeStrict('%E2%98%83', false), '☃');
    assert.equal(percentDecodeStrict('100%', true), '100%');
    assert.equal(percentDecodeStrict('%zz', true), '%zz');
    assert.equal(percentDecodeStrict('x%00y', false), 'x\u0000y');
    assert.equal(percentDecodeStrict('%ED%A0%80', false), null); // a surrogate spelled in UTF-8
    assert.equal(percentDecodeStrict('%FF', true), null);
  });

  it('walks JSON values for bad strings, keys and numbers, naming where', () => {
    assert.equal(findJsonProblem({ name: 'ok', list: [1, 2.5, 'x', null, true] }), null);
    assert.deepEqual(findJsonProblem({ ops: [{ values: { name: 'a\u0000' } }] }), {
      path: 'ops[0].values.name',
      kind: 'nul',
      message: 'must not contain NUL characters',
    });
    assert.equal(findJsonProblem({ a: { 'k\uD800': 1 } })?.path, 'a');
    assert.equal(findJsonProblem({ a: { 'k\uD800': 1 } })?.kind, 'surrogate');
    assert.equal(findJsonProblem({ lat: 1e308 })?.kind, 'number');
    assert.equal(findJsonProblem([JSON.parse('1e400')])?.kind, 'number');
    assert.equal(findJsonProblem({ lat: -(2 ** 53 - 1), big: 2 ** 53 - 1 }), null);
  });

  it('bounds the depth without using the call stack', () => {
    const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    assert.equal(findJsonProblem(nested(MAX_JSON_DEPTH)), null);
    assert.equal(findJsonProblem(nested(MAX_JSON_DEPTH + 1))?.kind, 'depth');
    assert.equal(findJsonProblem(nested(20_000))?.kind, 'depth');
    assert.equal(findJsonProblem({ a: { b: { c: 1 } } }, 2)?.kind, 'depth');
  });

  it('keeps paths short when keys are long', () => {
    const problem = findJsonProblem({ ['k'.repeat(5_000)]: 'a\u0000' });
    assert.ok(problem && problem.path.length <= 200);
  });
});
