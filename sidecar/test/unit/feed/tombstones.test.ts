import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { feedViewer, reportableDeletions, seesEveryRecord } from '../../../src/feed/tombstones.js';

describe('change feed tombstones', () => {
  it('names the viewer by key, OAuth client, or user for sessions and Basic', () => {
    const user = { id: 7 } as never;
    assert.equal(feedViewer({ kind: 'api_key', credentialId: 3, user }), 'key:3');
    assert.equal(feedViewer({ kind: 'oauth', credentialId: 4, user }), 'oauth:4');
    assert.equal(feedViewer({ kind: 'session', credentialId: 99, user }), 'user:7');
    assert.equal(feedViewer({ kind: 'basic', credentialId: 7, user }), 'user:7');
  });

  it('sees every record only without any domain and without record rules', () => {
    assert.equal(seesEveryRecord({ domains: [[], []] }, false), true);
    assert.equal(seesEveryRecord({ domains: [[], [['name', '=', 'a']]] }, false), false);
    assert.equal(seesEveryRecord({ domains: [] }, true), false);
  });

  it('lists every gone id to a caller that sees all, else only the served ones, in order', () => {
    assert.deepEqual(reportableDeletions([5, 3, 9], true, new Set()), [5, 3, 9]);
    assert.deepEqual(reportableDeletions([5, 3, 9], false, new Set([9, 5])), [5, 9]);
    assert.deepEqual(reportableDeletions([5], false, new Set()), []);
  });
});
