// Reading Odoo's log: record lines, the test summary, live following of a growing log file.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** `2026-01-01 12:00:00,123 4242 LEVEL db logger: message` */
const RECORD = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ([A-Z]+) (\S+) ([^:\s]+): ?(.*)$/;

export interface LogRecord {
  level: string;
  db: string;
  logger: string;
  message: string;
}

export function parseRecord(line: string): LogRecord | undefined {
  const match = RECORD.exec(line);
  if (!match) return undefined;
  const [, level = '', db = '', logger = '', message = ''] = match;
  return { level, db, logger, message };
}

export interface TestSummary {
  failed: number;
  errors: number;
  tests: number;
}

/** Odoo's closing line: `N failed, N error(s) of N tests when loading database 'db'`. */
const SUMMARY = /(\d+) failed, (\d+) error\(s\) of (\d+) tests/;

export function parseSummary(line: string): TestSummary | undefined {
  const match = SUMMARY.exec(line);
  if (!match) return undefined;
  return { failed: Number(match[1]), errors: Number(match[2]), tests: Number(match[3]) };
}

export interface LogVerdict {
  summary: TestSummary | undefined;
  /** ERROR and CRITICAL records (each with the traceback lines that follow it). */
  errorBlocks: string[];
  /** unittest `FAIL:` lines that were not already part of an error block. */
  failLines: string[];
}

/** What a finished test log says. */
export function judgeTestLog(text: string): LogVerdict {
  let summary: TestSummary | undefined;
  const errorBlocks: string[] = [];
  const failLines: string[] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const record = parseRecord(line);
    if (record) {
      if (current) errorBlocks.push(current.join('\n'));
      current = undefined;
      const parsed = parseSummary(record.message);
      if (parsed && record.logger === 'odoo.tests.result') summary = parsed;
      // The summary itself is logged at ERROR when something failed: it is not one more failure.
      if ((record.level === 'ERROR' || record.level === 'CRITICAL') && !parsed) current = [line];
      else if (/^FAIL\b|\bFAIL: /.test(record.message)) failLines.push(line);
    } else if (current) {
      current.push(line);
    } else if (/^FAIL: /.test(line)) {
      failLines.push(line);
    }
  }
  if (current) errorBlocks.push(current.join('\n'));
  return { summary, errorBlocks, failLines };
}

/**
 * Follow a growing file (like `tail -f`), calling `onLine` for each complete
 * line; `stop()` reads what is left and ends.
 */
export function followFile(path: string, onLine: (line: string) => void, intervalMs = 300): { stop: () => void } {
  let offset = 0;
  let pending = '';
  const buffer = Buffer.alloc(64 * 1024);
  const drain = (): void => {
    if (!existsSync(path)) return;
    const size = statSync(path).size;
    if (size < offset) offset = 0; // truncated
    if (size === offset) return;
    const fd = openSync(path, 'r');
    try {
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, offset);
        if (read <= 0) break;
        offset += read;
        pending += buffer.subarray(0, read).toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      }
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(drain, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      drain();
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
