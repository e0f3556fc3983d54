/**
 * Written dates and datetimes → Odoo's strings. Dates are `YYYY-MM-DD`;
 * datetimes are ISO 8601 with `Z` or an offset (a bare local time would be
 * ambiguous) and become UTC `YYYY-MM-DD HH:MM:SS`, as Odoo stores them.
 */
import { InvalidValue } from './issues.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A UTC Date for a calendar day, or null when the day does not exist (2023-02-29). */
function calendarDay(year: number, month: number, day: number): Date | null {
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear: no 19xx mapping of years < 100
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

function formatDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function parseDate(value: unknown): string {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  const day = match ? calendarDay(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!day) throw new InvalidValue('expected a date as YYYY-MM-DD');
  return formatDate(day);
}

/** Offset in minutes east of UTC: `Z`, `+02`, `+0200`, `+02:00`. */
function offsetMinutes(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

export function parseDateTime(value: unknown): string {
  const expected = 'expected an ISO 8601 datetime with Z or an offset, e.g. 2024-05-01T09:30:00Z';
  const match = typeof value === 'string' ? DATETIME.exec(value) : null;
  if (!match) throw new InvalidValue(expected);
  const [, y, mo, d, h, mi, s, zone] = match as unknown as [string, string, string, string, string, string, string | undefined, string];
  const day = calendarDay(Number(y), Number(mo), Number(d));
  const offset = offsetMinutes(zone);
  const [hour, minute, second] = [Number(h), Number(mi), Number(s ?? 0)];
  if (!day || offset === null || hour > 23 || minute > 59 || second > 59) throw new InvalidValue(expected);
  // Fractions of a second are dropped: Odoo stores datetimes to the second.
  const utc = new Date(day.getTime() + ((hour * 60 + minute - offset) * 60 + second) * 1000);
  if (utc.getUTCFullYear() < 1 || utc.getUTCFullYear() > 9999) throw new InvalidValue(expected);
  return `${formatDate(utc)} ${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}`;
}
