// What rate limiting and request logging each add to one request at
// concurrency 8, switched through the system parameters `rest_gateway.rate_limit_backend` (off | memory |
// database) and `rest_gateway.request_log_mode` (off | errors | all; `errors` still counts every request in
// the hourly statistics). The request is GET /api/v1/models with the
// stack's API key: authenticated (so it is counted against its key and logged) but answered without any
// call to Odoo, so its latency is the gateway's own and a sub-millisecond difference is not drowned by an
// Odoo round trip. Each configuration is measured right after the all-off baseline (the machine is shared
// and its speed drifts); the rows print in the bench table with the baseline's columns as "base".
import { runLoad, type Job, type LoadResult } from '../load.js';
import type { OdooJson2 } from '../odoo-json2.js';
import type { BenchEnv } from './types.js';

const BACKEND = 'rest_gateway.rate_limit_backend';
const LOG_MODE = 'rest_gateway.request_log_mode';
/** Raised while measuring: at thousands of requests per second the stack's default limit would refuse some. */
const DEFAULT_LIMIT = 'rest_gateway.rate_limit_default';
const CONNECTIONS = 8;

interface Configuration {
  name: string;
  backend: 'off' | 'memory' | 'database';
  logMode: 'off' | 'errors' | 'all';
}

const BASELINE: Configuration = { name: 'all off', backend: 'off', logMode: 'off' };
const CONFIGURATIONS: Configuration[] = [
  { name: 'limit memory', backend: 'memory', logMode: 'off' },
  { name: 'limit database', backend: 'database', logMode: 'off' },
  { name: 'log errors', backend: 'off', logMode: 'errors' },
  { name: 'log all', backend: 'off', logMode: 'all' },
  { name: 'limit memory + log all', backend: 'memory', logMode: 'all' },
  { name: 'limit db + log all', backend: 'database', logMode: 'all' },
];

export interface OverheadResult {
  name: string;
  connections: number;
  base: LoadResult;
  side: LoadResult;
}

function modelsJob(env: BenchEnv): Job {
  return async (send) => {
    await send({ method: 'GET', path: `${env.apiPrefix}/models`, headers: { authorization: `Bearer ${env.apiKey}` } });
  };
}

async function getParam(json2: OdooJson2, key: string): Promise<string | false> {
  return json2.call<string | false>('ir.config_parameter', 'get_param', { key });
}

async function setParam(json2: OdooJson2, key: string, value: string | false): Promise<void> {
  await json2.call<unknown>('ir.config_parameter', 'set_param', { key, value });
}

/** Sets a configuration and waits until the sidecar has reloaded it (rate-limit headers present or not). */
async function apply(env: BenchEnv, json2: OdooJson2, configuration: Configuration): Promise<void> {
  await setParam(json2, BACKEND, configuration.backend);
  await setParam(json2, LOG_MODE, configuration.logMode);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${env.apiOrigin}${env.apiPrefix}/models`, { headers: { authorization: `Bearer ${env.apiKey}` } });
    await response.arrayBuffer();
    if ((response.headers.get('x-ratelimit-limit') !== null) === (configuration.backend !== 'off')) break;
    if (Date.now() > deadline) throw new Error(`the sidecar did not apply ${BACKEND}=${configuration.backend}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // both parameters arrive in one configuration reload; leave it a moment to settle
  await new Promise((r) => setTimeout(r, 500));
}

export async function measureLimitLogOverhead(
  env: BenchEnv,
  json2: OdooJson2,
  seconds: number,
  progress: (message: string) => void,
): Promise<OverheadResult[]> {
  const saved = await Promise.all([BACKEND, LOG_MODE, DEFAULT_LIMIT].map(async (key) => [key, await getParam(json2, key)] as const));
  const results: OverheadResult[] = [];
  try {
    await setParam(json2, DEFAULT_LIMIT, '1000000000');
    const job = modelsJob(env);
    for (const configuration of CONFIGURATIONS) {
      progress(`overhead @${CONNECTIONS}: ${BASELINE.name}…`);
      await apply(env, json2, BASELINE);
      const base = await runLoad(env.apiOrigin, job, CONNECTIONS, seconds);
      progress(`overhead @${CONNECTIONS}: ${configuration.name}…`);
      await apply(env, json2, configuration);
      const side = await runLoad(env.apiOrigin, job, CONNECTIONS, seconds);
      results.push({ name: `overhead: ${configuration.name}`, connections: CONNECTIONS, base, side });
    }
  } finally {
    for (const [key, value] of saved) await setParam(json2, key, value);
  }
  return results;
}
