/**
 * Structured JSON logs on stdout, one line per event (pino), at LOG_LEVEL:
 * `{"level":"warn","time":"<ISO 8601>","msg":"…",…fields}`. Fields named
 * like secrets are censored by pino's redaction, wherever a caller puts
 * them in the first two levels of the fields.
 */
import { pino, stdTimeFunctions, type DestinationStream } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export const LOG_REDACTED = '[REDACTED]';

/** Names whose value is a secret (as the request log's redaction names them, requestlog/redaction.ts). */
const SECRET_NAMES = [
  'password',
  'new_password',
  'current_password',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'api_key',
  'apikey',
  'key',
  'credentials',
];

/** Each name at the top of the fields and one and two levels down (`headers.authorization`, `cause.config.password`). */
export const REDACTED_PATHS = SECRET_NAMES.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const destination: DestinationStream = { write };
  const logger = pino(
    {
      level,
      base: undefined, // no pid and hostname: the platform adds where a line came from
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: LOG_REDACTED },
    },
    destination,
  );
  const emit =
    (at: LogLevel) =>
    (msg: string, extra?: Record<string, unknown>): void => {
      if (extra) logger[at](extra, msg);
      else logger[at](msg);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
