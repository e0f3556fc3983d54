// The floor under the list scenario: the same ORM calls timed in-process in an `odoo shell`
// (no HTTP, no bridge), as the benchmark key's user, in the same run (issue: performance).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { addonsPath, odooPython, odooSrc } from '../lib/paths.js';

export interface OrmFloor {
  /** p50 ms of search_read + search_count, what the bridge runs for a list */
  bridgeCalls: number;
  /** p50 ms of web_search_read with the same fields */
  webSearchRead: number;
}

const SCRIPT = (uid: number, fields: string[], calls: number): string => `
import json, time
e = env(user=${uid}, su=False)
P = e['res.partner']
fields = ${JSON.stringify(fields)}
spec = {f: {} for f in fields}
spec['country_id'] = {'fields': {'display_name': {}}}
def p50(run):
    for _ in range(50):
        run(); e.invalidate_all()
    times = []
    for _ in range(${calls}):
        start = time.perf_counter(); run(); times.append((time.perf_counter() - start) * 1000); e.invalidate_all()
    times.sort()
    return times[len(times) // 2]
bridge = p50(lambda: (P.search_read([], fields, limit=80), P.search_count([])))
web = p50(lambda: P.web_search_read([], spec, limit=80))
print('ORM_FLOOR ' + json.dumps({'bridgeCalls': bridge, 'webSearchRead': web}))
`;

/** Runs the calls `calls` times each in an Odoo shell on the stack's database. */
export function measureOrmFloor(databaseUrl: string, db: string, uid: number, fields: string[], calls = 1000): OrmFloor {
  const url = new URL(databaseUrl);
  const src = odooSrc();
  const output = execFileSync(
    odooPython(),
    [
      join(src, 'setup', 'odoo'),
      'shell',
      '--no-http',
      `--addons-path=${addonsPath()}`,
      `--db_host=${url.hostname}`,
      `--db_port=${url.port}`,
      `--db_user=${decodeURIComponent(url.username)}`,
      `--db_password=${decodeURIComponent(url.password)}`,
      '-d',
      db,
      '--log-level=warn',
    ],
    { input: SCRIPT(uid, fields, calls), env: { ...process.env, PYTHONPATH: src }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const line = output.split('\n').find((l) => l.startsWith('ORM_FLOOR '));
  if (!line) throw new Error(`the Odoo shell printed no measurement:\n${output.slice(-2000)}`);
  return JSON.parse(line.slice('ORM_FLOOR '.length)) as OrmFloor;
}
