// Closed-loop load generator: N connections each send the next request as soon as the last answered,
// for a fixed time, recording every latency with sub-millisecond precision (autocannon rounds to 1 ms,
// too coarse for a 2 ms target).
import { Pool } from 'undici';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Sends one request on the load generator's pool; answers the parsed JSON body (throws on an HTTP error). */
export type Send = (request: BenchRequest) => Promise<unknown>;

/** One unit of measured work: a single request, or a sequence a client would make. */
export type Job = (send: Send) => Promise<void>;

export async function runLoad(origin: string, job: Job, connections: number, seconds: number, warmupSeconds = 2): Promise<LoadResult> {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  let recording = false;
  const warmupEnd = Date.now() + warmupSeconds * 1000;
  const end = warmupEnd + seconds * 1000;
  const send: Send = async (req) => {
    const res = await pool.request({ method: req.method, path: req.path, headers: req.headers, body: req.body });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
  const worker = async (): Promise<void> => {
    while (Date.now() < end) {
      const started = performance.now();
      try {
        await job(send);
      } catch {
        errors += 1;
      }
      if (!recording && Date.now() >= warmupEnd) recording = true;
      if (recording) latencies.push(performance.now() - started);
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - startedAt) / 1000 - warmupSeconds;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
