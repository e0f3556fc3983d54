/**
 * The skeleton of the retention purges (jobs/chunked-purge.ts): the chunk
 * loop (short chunk, lock held elsewhere, stop at a chunk boundary) and the
 * schedule (runs never overlap, results and failures logged, stop waits for
 * the run in progress), with stand-in chunks and a per-second schedule.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { PURGE_CHUNK_ROWS, retentionSeconds, runChunks, startChunkedPurge, type ChunkedPurgeResult } from '../../../src/jobs/chunked-purge.js';
import type { Logger } from '../../../src/observability/logger.js';

/** A chunk function answering the given outcomes in turn, then 0. */
function chunks(outcomes: Array<number | null>): { purgeChunk: () => Promise<number | null>; calls: () => number } {
  let calls = 0;
  return {
    purgeChunk: async () => {
      const outcome = outcomes[calls++];
      return outcome === undefined ? 0 : outcome;
    },
    calls: () => calls,
  };
}

interface LogLine {
  level: 'info' | 'warn';
  msg: string;
  extra: Record<string, unknown>;
}

function recordingLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log: Logger = {
    debug: () => undefined,
    info: (msg, extra = {}) => lines.push({ level: 'info', msg, extra }),
    warn: (msg, extra = {}) => lines.push({ level: 'warn', msg, extra }),
    error: () => undefined,
  };
  return { log, lines };
}

const EVERY_SECOND = '* * * * * *';

describe('runChunks', () => {
  it('deletes chunk after chunk until one is short', async () => {
    const { purgeChunk, calls } = chunks([10, 10, 3, 10]);
    const seen: number[] = [];
    const onChunk = (deleted: number, ms: number): void => {
      assert.ok(ms >= 0);
      seen.push(deleted);
    };
    const result = await runChunks(purgeChunk, { chunkSize: 10, onChunk });
    assert.deepEqual(result, { deleted: 23, chunks: 3, skipped: false });
    assert.equal(calls(), 3);
    assert.deepEqual(seen, [10, 10, 3]);
  });

  it('counts an empty first chunk as a run of one chunk', async () => {
    assert.deepEqual(await runChunks(chunks([0]).purgeChunk, { chunkSize: 10 }), { deleted: 0, chunks: 1, skipped: false });
  });

  it('gives up as skipped when another sidecar holds the lock, keeping what it deleted', async () => {
    const { purgeChunk, calls } = chunks([10, null, 10]);
    assert.deepEqual(await runChunks(purgeChunk, { chunkSize: 10 }), { deleted: 10, chunks: 1, skipped: true });
    assert.equal(calls(), 2);
  });

  it('stops at a chunk boundary once asked to', async () => {
    const { purgeChunk, calls } = chunks(Array.from({ length: 100 }, () => 10));
    const result = await runChunks(purgeChunk, { chunkSize: 10, shouldStop: () => calls() >= 4 });
    assert.deepEqual(result, { deleted: 40, chunks: 4, skipped: false });
    assert.deepEqual(await runChunks(purgeChunk, { chunkSize: 10, shouldStop: () => true }), { deleted: 0, chunks: 0, skipped: false });
  });

  it('asks each chunk for the chunk size, 5,000 rows unless told', async () => {
    const sizes: number[] = [];
    await runChunks(async (chunkSize) => (sizes.push(chunkSize), 0));
    await runChunks(async (chunkSize) => (sizes.push(chunkSize), 0), { chunkSize: 7 });
    assert.deepEqual(sizes, [PURGE_CHUNK_ROWS, 7]);
    assert.equal(PURGE_CHUNK_ROWS, 5_000);
  });

  it('lets a failing chunk fail the run', async () => {
    await assert.rejects(runChunks(async () => Promise.reject(new Error('connection lost')), { chunkSize: 10 }), /connection lost/);
  });
});

describe('retentionSeconds', () => {
  it('takes the setting\'s days, else the default\'s', async () => {
    assert.equal(await retentionSeconds(Promise.resolve(2), 7), 2 * 86_400);
    assert.equal(await retentionSeconds(Promise.resolve(null), 7), 7 * 86_400);
  });
});

describe('startChunkedPurge', () => {
  it('never overlaps runs and, on stop, waits for the run in progress to reach a chunk boundary', { timeout: 10_000 }, async () => {
    const { log, lines } = recordingLog();
    let runs = 0;
    let active = 0;
    let mostActive = 0;
    let finished = false;
    const job = startChunkedPurge({
      name: 'test-purge-overlap',
      subject: 'test rows',
      schedule: EVERY_SECOND,
      log,
      runOnce: async ({ shouldStop }) => {
        runs += 1;
        active += 1;
        mostActive = Math.max(mostActive, active);
        // chunks of 50 ms until shutdown: longer than the schedule's period
        const result = await runChunks(() => sleep(50).then(() => 10), { chunkSize: 10, shouldStop });
        active -= 1;
        finished = true;
        return result;
      },
    });
    await sleep(2_600);
    await job.stop();
    assert.equal(finished, true, 'stop resolved before the run ended');
    assert.equal(runs, 1, 'a second run started while the first was going on');
    assert.equal(mostActive, 1);
    const purged = lines.filter((line) => line.msg === 'purged test rows');
    assert.equal(purged.length, 1);
    assert.equal(purged[0]?.level, 'info');
    assert.ok((purged[0]?.extra.deleted as number) > 0 && typeof purged[0]?.extra.ms === 'number', JSON.stringify(purged[0]));
  });

  it('logs failures and skipped runs, not runs that found nothing, and starts no run once stopped', { timeout: 10_000 }, async () => {
    const { log, lines } = recordingLog();
    const outcomes: Array<ChunkedPurgeResult | Error> = [
      new Error('relation does not exist'),
      { deleted: 0, chunks: 1, skipped: false },
      { deleted: 0, chunks: 0, skipped: true },
    ];
    let runs = 0;
    const job = startChunkedPurge({
      name: 'test-purge-logging',
      subject: 'test rows',
      schedule: EVERY_SECOND,
      log,
      runOnce: async () => {
        const outcome = outcomes[runs++] ?? { deleted: 0, chunks: 1, skipped: false };
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    });
    while (runs < outcomes.length) await sleep(100);
    await job.stop();
    const stoppedAt = runs;
    await sleep(1_200);
    assert.equal(runs, stoppedAt, 'a run started after stop');
    assert.deepEqual(
      lines.map((line) => [line.level, line.msg]),
      [
        ['warn', 'test rows purge failed; retrying at the next run'],
        ['info', 'purged test rows'],
      ],
    );
    assert.equal(lines[0]?.extra.error, 'relation does not exist');
    assert.equal(lines[1]?.extra.skipped, true);
  });
});
