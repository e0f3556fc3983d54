// A benchmark scenario: the same work done through the sidecar and through Odoo's own API.
import type { BenchRequest, Job } from '../load.js';

export interface BenchEnv {
  apiOrigin: string;
  apiPrefix: string;
  apiKey: string;
  odooOrigin: string;
  odooHeaders: Record<string, string>;
}

/** One side of a scenario: a single request, or a job (a sequence of requests). */
export type Side = { label: string } & ({ request(env: BenchEnv): BenchRequest } | { job(env: BenchEnv): Job });

export interface Scenario {
  name: string;
  concurrency: number[];
  /** Runs once before the measurements (e.g. to learn what a job must ask for). */
  prepare?(env: BenchEnv): Promise<void>;
  baseline: Side;
  candidate: Side;
}

export function jobOf(side: Side, env: BenchEnv): Job {
  if ('job' in side) return side.job(env);
  return async (send) => {
    await send(side.request(env));
  };
}
