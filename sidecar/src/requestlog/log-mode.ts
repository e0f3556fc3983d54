/**
 * The request log mode (`rest_gateway.request_log_mode`): which answers are
 * written to the log. Statistics count every request unless the mode is `off`.
 */

export const REQUEST_LOG_MODES = ['all', 'errors', 'successes', 'off'] as const;
export type RequestLogMode = (typeof REQUEST_LOG_MODES)[number];
export const DEFAULT_REQUEST_LOG_MODE: RequestLogMode = 'all';

export function isRequestLogMode(value: string): value is RequestLogMode {
  return (REQUEST_LOG_MODES as readonly string[]).includes(value);
}

/** What becomes of a request answered with `status`: a log row (and statistics), statistics only, or nothing. */
export type LogDecision = 'log' | 'count' | 'skip';

export function decide(mode: RequestLogMode, status: number): LogDecision {
  switch (mode) {
    case 'off':
      return 'skip';
    case 'errors':
      return status >= 400 ? 'log' : 'count';
    case 'successes':
      return status < 400 ? 'log' : 'count';
    default:
      return 'log';
  }
}
