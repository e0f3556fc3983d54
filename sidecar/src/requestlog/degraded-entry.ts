/**
 * The last resort for a request log entry the database refused even after
 * its text was made storable: the same request with every text column cut
 * down to printable ASCII and no payload summaries, marked as degraded, so
 * that the request is still counted and findable by its id and time.
 */
import type { RequestLogEntry } from '../db/request-logs.js';

export const DEGRADED_SUMMARY = '{"degraded":"this entry could not be stored as recorded; its text was reduced to ASCII and its summaries dropped"}';

function ascii(text: string | null): string | null {
  return text === null ? null : text.replace(/[^\x20-\x7e]/g, '?').slice(0, 2_048);
}

function count(value: number | null): number | null {
  return value !== null && Number.isInteger(value) && value >= 0 && value <= 2 ** 31 - 1 ? value : null;
}

function milliseconds(value: number): number {
  return Number.isFinite(value) && value >= 0 ? value : 0;
}

export function degradeEntry(entry: RequestLogEntry): RequestLogEntry {
  return {
    ...entry,
    requestId: ascii(entry.requestId) ?? '',
    method: ascii(entry.method) ?? '',
    path: ascii(entry.path) ?? '',
    endpoint: ascii(entry.endpoint) ?? '',
    operation: ascii(entry.operation),
    model: ascii(entry.model),
    authKind: ascii(entry.authKind),
    clientAddress: ascii(entry.clientAddress),
    origin: ascii(entry.origin),
    userAgent: ascii(entry.userAgent),
    errorCode: ascii(entry.errorCode),
    errorMessage: ascii(entry.errorMessage),
    durationMs: milliseconds(entry.durationMs),
    odooMs: milliseconds(entry.odooMs),
    requestSize: count(entry.requestSize),
    responseSize: count(entry.responseSize),
    requestSummary: entry.logged ? DEGRADED_SUMMARY : null,
    responseSummary: null,
  };
}
