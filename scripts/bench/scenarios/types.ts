// A benchmark scenario: the same work done through the sidecar and through Odoo's own API.
import type { BenchRequest } from '../load.js';

export interface BenchEnv {
  apiOrigin: string;
  apiPrefix: string;
  apiKey: string;
  odooOrigin: string;
  odooHeaders: Record<string, string>;
}

export interface Scenario {
  name: string;
  concurrency: number[];
  baseline: { label: string; request(env: BenchEnv): BenchRequest };
  candidate: { label: string; request(env: BenchEnv): BenchRequest };
}
