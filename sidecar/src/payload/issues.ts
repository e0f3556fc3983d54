/**
 * Field problems of a write payload: collected while the body is walked,
 * then answered together as one problem (403 when any is an authorization
 * refusal, else 400), each naming its field (docs/decisions.md D12).
 */
import { ApiError, type ErrorCode } from '../errors.js';
import type { FieldIssue } from './types.js';

const FORBIDDEN: ReadonlySet<ErrorCode> = new Set(['field_not_allowed', 'operation_not_allowed']);

/** Thrown by value converters; the walker adds the field path and collects it. */
export class InvalidValue extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'invalid_value',
  ) {
    super(message);
    this.name = 'InvalidValue';
  }
}

export function statusOfIssue(code: ErrorCode): number {
  return FORBIDDEN.has(code) ? 403 : 400;
}

/** Throws one ApiError listing every issue; returns when there is none. */
export function throwIssues(issues: FieldIssue[]): void {
  if (issues.length === 0) return;
  const lead = issues.find((issue) => statusOfIssue(issue.code) === 403) ?? (issues[0] as FieldIssue);
  const detail =
    issues.length === 1
      ? `${lead.field}: ${lead.message}.`
      : `${issues.length} fields of the body cannot be written: ${issues.map((i) => i.field).join(', ')}.`;
  throw new ApiError(statusOfIssue(lead.code), lead.code, detail, {
    errors: issues.map(({ field, message, code }) => ({ field, message, code })),
  });
}
