// Issue: change feed. 10,000 partners updated through the ORM (one JSON-2 write, so the capture triggers
// fire 10,000 times), then drained through GET /api/v1/res.partner/changes in pages of 500, in records/s;
// for reference, the same records read through JSON-2 search_read in pages of 500 (what a client without
// a feed would do to resync). Best of a few drains from the same cursor (a feed page is repeatable).
import type { OdooJson2 } from './odoo-json2.js';
import type { BenchEnv } from './scenarios/types.js';
import { seedPartners } from './seed.js';

const CHANGES = Number(process.env.BENCH_FEED_CHANGES ?? 10_000);
const PAGE = Number(process.env.BENCH_FEED_PAGE ?? 500);
const REPEAT = 3;
const FIELDS = ['name', 'email', 'phone', 'country_id'];

interface FeedAnswer {
  data: { changed: unknown[]; deleted: unknown[] };
  meta: { next_cursor: string; has_more: boolean };
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function drainFeed(env: BenchEnv, since: string): Promise<{ records: number; pages: number }> {
  const headers = { authorization: `Bearer ${env.apiKey}` };
  const base = `${env.apiOrigin}${env.apiPrefix}/res.partner/changes?limit=${PAGE}&fields=${FIELDS.join(',')}`;
  let cursor = since;
  let records = 0;
  let pages = 0;
  for (;;) {
    const page = await getJson<FeedAnswer>(`${base}&since=${cursor}`, headers);
    records += page.data.changed.length + page.data.deleted.length;
    pages += 1;
    cursor = page.meta.next_cursor;
    if (!page.meta.has_more) return { records, pages };
  }
}

async function readJson2(json2: OdooJson2, ids: number[]): Promise<{ records: number; pages: number }> {
  let records = 0;
  let pages = 0;
  for (let offset = 0; offset < ids.length; offset += PAGE) {
    const rows = await json2.call<unknown[]>('res.partner', 'search_read', { domain: [['id', 'in', ids]], fields: FIELDS, offset, limit: PAGE, order: 'id' });
    records += rows.length;
    pages += 1;
  }
  return { records, pages };
}

/** Best records/s of REPEAT runs of `work`. */
async function best(work: () => Promise<{ records: number; pages: number }>): Promise<{ rate: number; records: number; pages: number; seconds: number }> {
  let top = { rate: 0, records: 0, pages: 0, seconds: 0 };
  for (let run = 0; run < REPEAT; run += 1) {
    const started = performance.now();
    const { records, pages } = await work();
    const seconds = (performance.now() - started) / 1000;
    if (records / seconds > top.rate) top = { rate: records / seconds, records, pages, seconds };
  }
  return top;
}

/**
 * Pages of PAGE need the exposed model's maximum page size (200 by default) raised for the run;
 * answers how to put it back. The sidecar picks the change up through NOTIFY.
 */
async function allowPageSize(env: BenchEnv, json2: OdooJson2): Promise<() => Promise<void>> {
  const [exposed] = await json2.call<Array<{ id: number; max_page_size: number }>>('rest.gateway.model', 'search_read', {
    domain: [['model', '=', 'res.partner']],
    fields: ['max_page_size'],
  });
  if (!exposed || exposed.max_page_size >= PAGE) return async () => undefined;
  await json2.call('rest.gateway.model', 'write', { ids: [exposed.id], vals: { max_page_size: PAGE } });
  const probe = `${env.apiOrigin}${env.apiPrefix}/res.partner/changes?limit=${PAGE}`;
  for (let tries = 0; (await fetch(probe, { headers: { authorization: `Bearer ${env.apiKey}` } })).status !== 200; tries += 1) {
    if (tries > 100) throw new Error('the sidecar did not pick up the larger page size');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return async () => {
    await json2.call('rest.gateway.model', 'write', { ids: [exposed.id], vals: { max_page_size: exposed.max_page_size } });
  };
}

/** Runs the measurement and answers the lines to print. */
export async function measureFeedDrain(env: BenchEnv, json2: OdooJson2): Promise<string> {
  const restore = await allowPageSize(env, json2);
  try {
    return await measure(env, json2);
  } finally {
    await restore();
  }
}

async function measure(env: BenchEnv, json2: OdooJson2): Promise<string> {
  const existing = await json2.call<number>('res.partner', 'search_count', { domain: [] });
  if (existing < CHANGES) {
    process.stderr.write(`bench: feed: seeding ${CHANGES - existing} partners…\n`);
    await seedPartners(json2, CHANGES - existing, 'feed');
  }
  const ids = await json2.call<number[]>('res.partner', 'search', { domain: [], limit: CHANGES, order: 'id' });
  const start = await getJson<FeedAnswer>(`${env.apiOrigin}${env.apiPrefix}/res.partner/changes`, { authorization: `Bearer ${env.apiKey}` });
  process.stderr.write(`bench: feed: updating ${ids.length} partners in one ORM write…\n`);
  const writeStarted = performance.now();
  await json2.call('res.partner', 'write', { ids, vals: { function: `feed bench ${Date.now()}` } });
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  process.stderr.write('bench: feed: draining…\n');
  const feed = await best(() => drainFeed(env, start.meta.next_cursor));
  const base = await best(() => readJson2(json2, ids));
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  return [
    `\nChange feed (${fmt(ids.length)} partners updated by one ORM write in ${writeSeconds.toFixed(1)} s, capture included; ${FIELDS.length} fields, pages of ${PAGE}, best of ${REPEAT})`,
    `  GET /api/v1/res.partner/changes      ${fmt(feed.rate).padStart(8)} records/s  (${fmt(feed.records)} records, ${feed.pages} pages, ${feed.seconds.toFixed(2)} s)`,
    `  JSON-2 search_read, same records     ${fmt(base.rate).padStart(8)} records/s  (${fmt(base.records)} records, ${base.pages} pages, ${base.seconds.toFixed(2)} s)`,
    '',
  ].join('\n');
}
