/** The request log's buffer: first in, first out, bounded, dropping and counting the oldest when full. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedBuffer } from '../../../src/requestlog/bounded-buffer.js';

describe('BoundedBuffer', () => {
  it('takes in arrival order, at most the count asked', () => {
    const buffer = new BoundedBuffer<number>(10);
    for (let i = 0; i < 5; i += 1) buffer.push(i);
    assert.deepEqual(buffer.take(3), [0, 1, 2]);
    assert.deepEqual(buffer.take(10), [3, 4]);
    assert.deepEqual(buffer.take(10), []);
    assert.equal(buffer.length, 0);
  });

  it('never holds more than its capacity: a push onto a full buffer drops the oldest and counts it', () => {
    const buffer = new BoundedBuffer<number>(100);
    for (let i = 0; i < 1_000; i += 1) buffer.push(i);
    assert.equal(buffer.length, 100);
    assert.equal(buffer.takeDropped(), 900);
    assert.equal(buffer.takeDropped(), 0, 'the counter resets when read');
    assert.deepEqual(buffer.take(100), Array.from({ length: 100 }, (_, i) => 900 + i));
  });

  it('keeps its order across interleaved pushes and takes', () => {
    const buffer = new BoundedBuffer<number>(7);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 200; round += 1) {
      for (let i = 0; i < 3; i += 1) buffer.push(next++);
      out.push(...buffer.take(2));
    }
    out.push(...buffer.take(100));
    const dropped = buffer.takeDropped();
    assert.equal(out.length + dropped, next);
    assert.deepEqual(out, [...out].sort((a, b) => a - b), 'still first in, first out');
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new BoundedBuffer(0), RangeError);
    assert.throws(() => new BoundedBuffer(1.5), RangeError);
  });
});
