// `npm run bench`: starts a throwaway stack (or uses STACK_JSON), seeds data, measures each scenario
// through the sidecar and through Odoo's own JSON-2 API in the same run, and prints a table of ratios.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureFeedDrain } from './feed-drain.js';
import { measureOrmFloor } from './orm-floor.js';
import { runLoad, type LoadResult } from './load.js';
import { createOdooApiKey } from './odoo-api-key.js';
import { OdooJson2 } from './odoo-json2.js';
import { authBasic, authBearerKey, authOAuthToken, authSession } from './scenarios/auth-ways-in.js';
import { batchCreates } from './scenarios/batch-creates.js';
import { createPartner } from './scenarios/create-partner.js';
import { expandPartners } from './scenarios/expand-partners.js';
import { LIST_FIELDS, listPartners } from './scenarios/list-partners.js';
import { measureLimitLogOverhead } from './scenarios/limit-log-overhead.js';
import { jobOf, type BenchEnv, type Scenario } from './scenarios/types.js';
import { measureWebhookDelivery } from './scenarios/webhook-delivery.js';
import { seedPartners } from './seed.js';

const SCENARIOS: Scenario[] = [listPartners, expandPartners, createPartner, batchCreates, authBearerKey, authOAuthToken, authSession, authBasic];
// BENCH_SCENARIOS: comma-separated parts of scenario names to run (default: all)
const ONLY = (process.env.BENCH_SCENARIOS ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 2000);
const ROOT = join(import.meta.dirname, '..', '..');

interface Stack {
  odoo_url: string;
  api_url: string;
  db: string;
  database_url: string;
  pids?: { sidecar?: number };
}

function stackCommand(args: string[], stackDir: string): string {
  return execFileSync('npx', ['tsx', join(ROOT, 'scripts', 'stack.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, STACK_DIR: stackDir },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
}

/** Resets the process's peak RSS (Linux: writing 5 to clear_refs), so each scenario reports its own peak. */
function resetPeakRss(pid: number | undefined): void {
  if (!pid) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    /* not Linux, or not permitted: the peak then spans the whole run */
  }
}

function peakRssMb(pid: number | undefined): string {
  if (!pid) return 'n/a';
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    const rss = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return `peak ${(Number(hwm) / 1024).toFixed(0)} MB, now ${(Number(rss) / 1024).toFixed(0)} MB`;
  } catch {
    return 'n/a';
  }
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function row(cells: string[]): string {
  const widths = [34, 4, 10, 10, 7, 9, 9, 8, 9, 9, 7];
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 10) : c.padStart(widths[i] ?? 10))).join(' ');
}

async function main(): Promise<void> {
  let stackDir: string | null = null;
  let stack: Stack;
  if (process.env.STACK_JSON) {
    stack = JSON.parse(readFileSync(process.env.STACK_JSON, 'utf8')) as Stack;
  } else {
    stackDir = mkdtempSync(join(tmpdir(), 'rgw-bench-'));
    process.stderr.write('bench: starting a stack…\n');
    stackCommand(['up'], stackDir);
    stack = JSON.parse(readFileSync(join(stackDir, 'stack.json'), 'utf8')) as Stack & { api_key: string };
  }
  try {
    const apiKey = (stack as Stack & { api_key: string }).api_key;
    const odooKey = await createOdooApiKey(stack.database_url, 2, 'benchmark baseline');
    const json2 = new OdooJson2(stack.odoo_url, stack.db, odooKey);
    const existing = await json2.call<number>('res.partner', 'search_count', { domain: [] });
    if (existing < PARTNERS) {
      process.stderr.write(`bench: seeding ${PARTNERS - existing} partners…\n`);
      await seedPartners(json2, PARTNERS - existing, 'bench');
    }
    const api = new URL(stack.api_url);
    const env: BenchEnv = {
      apiOrigin: api.origin,
      apiPrefix: api.pathname.replace(/\/+$/, ''),
      apiKey,
      odooOrigin: new URL(stack.odoo_url).origin,
      odooHeaders: json2.headers(),
    };
    const lines: string[] = [];
    lines.push(row(['scenario', 'conc', 'base rps', 'side rps', 'ratio', 'base p50', 'side p50', 'Δp50 ms', 'base p99', 'side p99', 'errors']));
    const stateFile = stackDir ? join(stackDir, 'stack.json') : (process.env.STACK_JSON as string);
    const sidecarPid = (JSON.parse(readFileSync(stateFile, 'utf8')) as Stack).pids?.sidecar;
    const memory: string[] = [];
    /** p50 of each scenario's sidecar side at one connection, for the ORM floor's ratio */
    const sideP50AtOne = new Map<string, number>();
    for (const scenario of SCENARIOS.filter((s) => ONLY.length === 0 || ONLY.some((part) => s.name.toLowerCase().includes(part)))) {
      await scenario.prepare?.(env);
      resetPeakRss(sidecarPid);
      for (const connections of scenario.concurrency) {
        process.stderr.write(`bench: ${scenario.name} @${connections}: ${scenario.baseline.label}…\n`);
        const base: LoadResult = await runLoad(env.odooOrigin, jobOf(scenario.baseline, env), connections, SECONDS);
        process.stderr.write(`bench: ${scenario.name} @${connections}: ${scenario.candidate.label}…\n`);
        const side: LoadResult = await runLoad(env.apiOrigin, jobOf(scenario.candidate, env), connections, SECONDS);
        if (connections === 1) sideP50AtOne.set(scenario.name, side.p50);
        lines.push(row([
          scenario.name,
          String(connections),
          fmt(base.rps),
          fmt(side.rps),
          `${fmt(side.rps / base.rps, 2)}x`,
          fmt(base.p50, 2),
          fmt(side.p50, 2),
          fmt(side.p50 - base.p50, 2),
          fmt(base.p99, 2),
          fmt(side.p99, 2),
          `${base.errors}/${side.errors}`,
        ]));
      }
      memory.push(`  ${scenario.name.padEnd(40)} ${peakRssMb(sidecarPid)}`);
    }
    // rate limiting and request logging against the same request with both off ("base" = all off)
    if (ONLY.length === 0 || ONLY.some((part) => 'overhead'.includes(part))) {
      const progress = (message: string): void => void process.stderr.write(`bench: ${message}\n`);
      for (const { name, connections, base, side } of await measureLimitLogOverhead(env, json2, SECONDS, progress)) {
        lines.push(row([name, String(connections), fmt(base.rps), fmt(side.rps), `${fmt(side.rps / base.rps, 2)}x`, fmt(base.p50, 2), fmt(side.p50, 2), fmt(side.p50 - base.p50, 2), fmt(base.p99, 2), fmt(side.p99, 2), `${base.errors}/${side.errors}`]));
      }
    }
    process.stdout.write(`\nOdoo REST Gateway benchmark (${PARTNERS} partners, ${SECONDS} s per cell; latencies in ms; ratio = sidecar/baseline throughput)\n`);
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(`sidecar memory (RSS):\n${memory.join('\n')}\n`);
    const listP50 = sideP50AtOne.get(listPartners.name);
    if (listP50 !== undefined) {
      process.stderr.write('bench: ORM floor: the list\'s ORM calls in an Odoo shell…\n');
      const floor = measureOrmFloor(stack.database_url, stack.db, 2, LIST_FIELDS);
      process.stdout.write(
        `\nORM floor (the list's ORM calls in process, as the key's user, 1,000 calls, p50): search_read + search_count ${fmt(floor.bridgeCalls, 2)} ms, ` +
          `web_search_read ${fmt(floor.webSearchRead, 2)} ms; list through the sidecar at 1 connection ${fmt(listP50, 2)} ms = ${fmt(listP50 / floor.bridgeCalls, 2)}x the floor\n`,
      );
    }
    process.stdout.write(await measureFeedDrain(env, json2));
    if (ONLY.length === 0 || ONLY.some((part) => 'webhook delivery'.includes(part))) {
      process.stdout.write(await measureWebhookDelivery(stack.database_url, json2, (message) => void process.stderr.write(`bench: ${message}\n`)));
    }
  } finally {
    if (stackDir) {
      stackCommand(['down'], stackDir);
      rmSync(stackDir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
