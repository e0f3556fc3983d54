/**
 * The concurrency proof of the change feed: writers on direct PostgreSQL
 * connections begin and write in one order and commit in another (the
 * first to write commits last, the rest shuffled, two rounds in flight at
 * once), one rolls back per round, and Odoo's XML-RPC writes alongside,
 * while a client polls the feed passing back the cursor it was given.
 */
import type pg from 'pg';
import { connectPg, cursorTxid, feed, freshCursor, sleep } from './feed.js';
import { unique } from './fixtures.js';
import { admin } from './stack.js';

export interface RaceOptions {
  writers: number;
  rounds: number;
  pageSize: number;
}

export interface RaceResult {
  /** Records changed by a committed transaction. */
  expected: Set<number>;
  /** Records changed only by rolled-back transactions. */
  rolledBack: Set<number>;
  seen: Set<number>;
  /** Pairs of transactions that committed in the opposite order of their ids. */
  inversions: number;
  commits: number;
  polls: number;
}

interface Shared {
  seen: Set<number>;
  /** Set once every write is over: a transaction id above all of them. */
  endTxid: bigint | null;
}

interface Commit {
  txid: bigint;
  seq: number;
}

const POLL_DEADLINE_MS = 20_000;
const random = (max: number): number => Math.floor(Math.random() * max);

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = random(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Polls until every change below a horizon past all writes has been served. */
async function poll(since: string, pageSize: number, shared: Shared): Promise<number> {
  let cursor = since;
  let polls = 0;
  const deadline = Date.now() + POLL_DEADLINE_MS;
  for (;;) {
    const endTxid = shared.endTxid; // read before the request: the page must come after it
    const r = await feed('res.partner', { since: cursor, limit: pageSize, fields: 'name' });
    if (r.status !== 200) throw new Error(`poll: ${r.status} ${r.text}`);
    polls += 1;
    for (const record of r.body.data.changed) shared.seen.add(record.id);
    for (const id of r.body.data.deleted) shared.seen.add(id);
    cursor = r.body.meta.next_cursor;
    if (endTxid !== null && !r.body.meta.has_more && cursorTxid(cursor) > endTxid) return polls;
    if (Date.now() > deadline) throw new Error('the poller did not reach the end of the writes in time');
    if (!r.body.meta.has_more) await sleep(3);
  }
}

async function begin(client: pg.Client, sql: string, params: unknown[]): Promise<bigint> {
  await client.query('BEGIN');
  const result = await client.query<{ txid: string }>(`${sql} RETURNING pg_current_xact_id()::text AS txid`, params);
  return BigInt((result.rows[0] as { txid: string }).txid);
}

const INSERT = `INSERT INTO res_partner (name, complete_name, type, active, is_company, create_date, write_date, create_uid, write_uid)
  VALUES ($1, $1, 'contact', true, false, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1)`;

/** One round: begin and write in client order, then commit in a scrambled order (returned as a promise). */
async function writeRound(clients: pg.Client[], ids: number[][], tag: string, expected: Set<number>, commits: Commit[]): Promise<() => Promise<void>> {
  const txids: bigint[] = [];
  for (const [i, client] of clients.entries()) {
    const mine = ids[i] as number[];
    txids.push(await begin(client, 'UPDATE res_partner SET name = $1 WHERE id = ANY($2::int[])', [`${tag} w${i}`, mine]));
    const inserted = await client.query<{ id: number }>(`${INSERT} RETURNING id`, [`${tag} new ${i}`]);
    for (const id of [...mine, (inserted.rows[0] as { id: number }).id]) expected.add(id);
  }
  // the first writer (lowest txid) commits last; the others in random order
  const order = [...shuffle(clients.slice(1).map((_, i) => i + 1)), 0];
  return async () => {
    for (const i of order) {
      await sleep(random(12));
      await (clients[i] as pg.Client).query('COMMIT');
      commits.push({ txid: txids[i] as bigint, seq: commits.length });
    }
  };
}

function countInversions(commits: Commit[]): number {
  let inversions = 0;
  for (const a of commits) for (const b of commits) if (a.txid < b.txid && a.seq > b.seq) inversions += 1;
  return inversions;
}

export async function runCommitRace(options: RaceOptions): Promise<RaceResult> {
  const rpc = await admin();
  const tag = unique('race');
  const perWriter = 2;
  const count = options.writers * options.rounds * perWriter + 2 * options.rounds;
  const pool = await rpc.execute<number[]>('res.partner', 'create', [Array.from({ length: count }, (_, i) => ({ name: `${tag} ${i}` }))]);
  const take = (n: number): number[] => pool.splice(0, n);
  const lanes = await Promise.all([0, 1].map(() => Promise.all(Array.from({ length: options.writers + 1 }, connectPg))));
  const shared: Shared = { seen: new Set(), endTxid: null };
  const expected = new Set<number>();
  const rolledBack = new Set<number>();
  const commits: Commit[] = [];
  const poller = poll(await freshCursor('res.partner'), options.pageSize, shared);
  poller.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
  try {
    // Two lanes of connections: a round writes on one lane while the other
    // lane's previous round is still committing, so rounds overlap too.
    const pending: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
    for (let round = 0; round < options.rounds; round += 1) {
      const [extra, ...writers] = lanes[round % 2] as pg.Client[];
      await pending[round % 2];
      const ids = writers.map(() => take(perWriter));
      const commit = await writeRound(writers, ids, `${tag} r${round}`, expected, commits);
      const [doomed, viaOdoo] = [take(1), take(1)];
      await begin(extra as pg.Client, 'UPDATE res_partner SET name = $1 WHERE id = ANY($2::int[])', [`${tag} doomed`, doomed]);
      doomed.forEach((id) => rolledBack.add(id));
      viaOdoo.forEach((id) => expected.add(id));
      const odooWrite = rpc.execute('res.partner', 'write', [viaOdoo, { name: `${tag} via odoo ${round}` }]);
      const rollback = sleep(random(10)).then(() => (extra as pg.Client).query('ROLLBACK'));
      pending[round % 2] = Promise.all([commit(), odooWrite, rollback]).then(() => undefined);
    }
    await Promise.all(pending);
    const [extra] = lanes[0] as pg.Client[];
    const end = await (extra as pg.Client).query<{ txid: string }>('SELECT pg_current_xact_id()::text AS txid');
    shared.endTxid = BigInt((end.rows[0] as { txid: string }).txid);
    const polls = await poller;
    return { expected, rolledBack, seen: shared.seen, inversions: countInversions(commits), commits: commits.length, polls };
  } finally {
    await Promise.allSettled(lanes.flat().map((client) => client.end()));
  }
}
