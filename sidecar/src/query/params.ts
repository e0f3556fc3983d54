/** Reading single query parameters strictly: a repeated parameter is a 400, not a silent pick. */
import { errors } from '../errors.js';

export type RawQuery = Record<string, string | string[] | undefined>;

export function singleParam(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) {
    throw errors.badRequest('invalid_parameter', `The parameter "${name}" is given more than once.`, {
      errors: [{ field: name, message: 'given more than once' }],
    });
  }
  return value;
}

/** The first of several alias names that is present, and which one it was. */
export function aliasedParam(query: RawQuery, names: string[]): { name: string; value: string } | undefined {
  const present = names.filter((n) => query[n] !== undefined);
  if (present.length > 1) {
    throw errors.badRequest('invalid_parameter', `Give only one of ${present.map((n) => `"${n}"`).join(', ')}.`, {
      errors: present.map((field) => ({ field, message: 'conflicts with an alias' })),
    });
  }
  const name = present[0];
  if (name === undefined) return undefined;
  return { name, value: singleParam(query, name) as string };
}

const MAX_INT = 2_147_483_647;

export function parseNonNegativeInt(name: string, value: string, min = 0): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_INT || Number(value) < min) {
    throw errors.badRequest('invalid_parameter', `The parameter "${name}" must be a whole number of at least ${min}.`, {
      errors: [{ field: name, message: `must be an integer >= ${min}` }],
    });
  }
  return Number(value);
}

export function parseBooleanParam(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw errors.badRequest('invalid_parameter', `The parameter "${name}" must be true or false.`, {
    errors: [{ field: name, message: 'must be true or false' }],
  });
}

/** Parses a path id: a positive 32-bit integer. */
export function parseRecordId(value: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > MAX_INT) {
    throw errors.badRequest('invalid_parameter', `"${value}" is not a valid record id.`, {
      errors: [{ field: 'id', message: 'must be a positive integer' }],
    });
  }
  return Number(value);
}
