// The addon's Odoo tests (npm run test:odoo) on a throwaway cluster and database
// copied from the cached template:
//   odoo -i rest_gateway --test-enable --test-tags /rest_gateway --stop-after-init
// Passes only when Odoo exits 0, its summary says `0 failed, 0 error(s) of N tests`
// with N > 0, and the log holds no ERROR or CRITICAL record.
// Env: ODOO_SRC, ODOO_TEST_TAGS (default /rest_gateway), ODOO_TESTS_VERBOSE=1 (echo the whole log).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADDON, assertAddonPresent, provisionDatabase, stopProvisioned } from './lib/database.js';
import { makeStateDir, removeTree } from './lib/fsutil.js';
import { elapsed, errorMessage, info, setLogPrefix } from './lib/log.js';
import { runOdooOnce } from './lib/odoo.js';
import { followFile, judgeTestLog, parseRecord } from './lib/odoo-log.js';
import { odooAvailable, odooSrc, stackDir } from './lib/paths.js';
import { freePort } from './lib/ports.js';
import { stopRunningCommands } from './lib/proc.js';

setLogPrefix('odoo-tests');

const DB = 'rgw_test';
const TIMEOUT_MS = 45 * 60_000;

/** Which log lines to echo while the tests run (all of them with ODOO_TESTS_VERBOSE=1). */
function echoFilter(): (line: string) => boolean {
  if (process.env['ODOO_TESTS_VERBOSE'] === '1') return () => true;
  let echoing = false; // continuation lines (tracebacks) follow their record
  return (line) => {
    const record = parseRecord(line);
    if (!record) return echoing;
    echoing =
      record.level !== 'INFO' && record.level !== 'DEBUG'
        ? true
        : record.logger.startsWith(`odoo.addons.${ADDON}`) ||
          record.logger.startsWith('odoo.tests') ||
          /post-tests|Starting post tests/.test(record.message);
    return echoing;
  };
}

async function main(): Promise<number> {
  if (!odooAvailable()) {
    process.stderr.write(`[odoo-tests] ERROR: Odoo not found: ${join(odooSrc(), 'odoo', 'release.py')} does not exist (set ODOO_SRC)\n`);
    return 1;
  }
  assertAddonPresent();
  const started = performance.now();
  const stateDir = makeStateDir('rest-gateway-odoo-tests');
  const logFile = join(stateDir, 'odoo-tests.log');
  const keptLog = join(stackDir(), 'odoo-tests.log');
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    await stopRunningCommands();
    await stopProvisioned(stateDir).catch((error: unknown) => info(`warning: ${errorMessage(error)}`));
    if (existsSync(logFile)) {
      mkdirSync(stackDir(), { recursive: true });
      copyFileSync(logFile, keptLog);
    }
    removeTree(stateDir);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n[odoo-tests] ${signal}: cleaning up\n`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const target = await provisionDatabase(stateDir, DB);
    const tags = process.env['ODOO_TEST_TAGS'] || `/${ADDON}`;
    info(`installing ${ADDON} with --test-enable --test-tags ${tags} (log: ${keptLog} afterwards)`);
    const keep = echoFilter();
    const follower = followFile(logFile, (line) => {
      if (keep(line)) process.stdout.write(`${line}\n`);
    });
    let code: number;
    try {
      const result = await runOdooOnce({
        server: target.server,
        db: DB,
        dataDir: target.odooDataDir,
        logFile,
        httpPort: await freePort(),
        logLevel: 'info',
        args: [`--init=${ADDON}`, '--test-enable', `--test-tags=${tags}`],
        timeoutMs: TIMEOUT_MS,
      });
      code = result.code;
    } finally {
      follower.stop();
    }

    const verdict = judgeTestLog(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    const problems: string[] = [];
    if (code !== 0) problems.push(`Odoo exited with code ${code}`);
    if (!verdict.summary) problems.push("Odoo printed no test summary ('N failed, N error(s) of N tests')");
    else {
      const { failed, errors, tests } = verdict.summary;
      if (failed || errors) problems.push(`${failed} failed, ${errors} error(s)`);
      if (tests === 0) problems.push(`no test ran (test tags ${tags})`);
    }
    if (verdict.errorBlocks.length) problems.push(`${verdict.errorBlocks.length} ERROR/CRITICAL record(s) in the log`);
    if (verdict.failLines.length) problems.push(`${verdict.failLines.length} FAIL line(s) in the log`);

    process.stdout.write('\n');
    if (verdict.errorBlocks.length || verdict.failLines.length) {
      process.stdout.write('==== errors and failures ====\n');
      for (const block of verdict.errorBlocks) process.stdout.write(`${block}\n`);
      for (const line of verdict.failLines) process.stdout.write(`${line}\n`);
      process.stdout.write('=============================\n');
    }
    const s = verdict.summary;
    process.stdout.write(
      s ? `Odoo test summary: ${s.failed} failed, ${s.errors} error(s) of ${s.tests} tests (${elapsed(started)})\n` : 'Odoo test summary: none\n',
    );
    if (problems.length) {
      process.stdout.write(`odoo tests FAILED: ${problems.join('; ')}\n`);
      return 1;
    }
    process.stdout.write('odoo tests passed\n');
    return 0;
  } catch (error) {
    process.stderr.write(`[odoo-tests] ERROR: ${errorMessage(error)}\n`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[odoo-tests] ERROR: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
