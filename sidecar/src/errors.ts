/**
 * The one error class of the sidecar (RFC 9457 problem details).
 * Every failure a client can see is an ApiError with a stable snake_case
 * `code`; `cause` is kept for the log and never rendered.
 */

export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'invalid_parameter',
  'unknown_parameter',
  'invalid_filter',
  'expand_too_deep',
  'unknown_field',
  'field_not_allowed',
  'page_size_exceeded',
  'invalid_body',
  'field_readonly',
  'field_required',
  'invalid_value',
  'value_too_large',
  'too_many_ids',
  'no_active_field',
  'invalid_operation',
  'duplicate_ref',
  'batch_too_large',
  'invalid_idempotency_key',
  'invalid_cursor',
  'unauthorized',
  'invalid_token',
  'invalid_credentials',
  'login_locked',
  'mfa_required',
  'session_required',
  'manager_required',
  'api_key_required',
  'webhooks_not_allowed',
  'password_reset_unavailable',
  'forbidden',
  'operation_not_allowed',
  'ip_not_allowed',
  'origin_not_allowed',
  'company_not_allowed',
  'not_found',
  'model_not_found',
  'record_not_found',
  'related_record_not_found',
  'webhook_not_found',
  'method_not_allowed',
  'conflict',
  'upsert_ambiguous',
  'upsert_conflict',
  'idempotency_key_reused',
  'idempotency_in_progress',
  'cursor_expired',
  'payload_too_large',
  'response_too_large',
  'unsupported_media_type',
  'validation_error',
  'rate_limited',
  'odoo_unavailable',
  'service_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldProblem {
  field: string;
  message: string;
  /** Set when one answer lists problems of different kinds (write payloads). */
  code?: ErrorCode;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export interface ApiErrorOptions {
  errors?: FieldProblem[];
  headers?: Record<string, string>;
  cause?: unknown;
  /** Extension members of the problem (e.g. a batch operation's `ref`). */
  extensions?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors: FieldProblem[];
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;
  /** Koa renders `expose`d errors' messages; ours are always safe to show. */
  readonly expose = true;

  constructor(status: number, code: ErrorCode, detail: string, options: ApiErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = options.errors ?? [];
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  get title(): string {
    return TITLES[this.status] ?? 'Error';
  }
}

/** Factory: one function per status so call sites read as the HTTP outcome. */
export const errors = {
  badRequest: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) => new ApiError(400, code, detail, opts),
  unauthorized: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) => new ApiError(401, code, detail, opts),
  forbidden: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) => new ApiError(403, code, detail, opts),
  notFound: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) => new ApiError(404, code, detail, opts),
  conflict: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) => new ApiError(409, code, detail, opts),
  gone: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) => new ApiError(410, code, detail, opts),
  unprocessable: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) => new ApiError(422, code, detail, opts),
  unavailable: (code: ErrorCode, detail: string, opts?: ApiErrorOptions) =>
    new ApiError(503, code, detail, { ...opts, headers: { 'Retry-After': '5', ...opts?.headers } }),
  internal: (cause?: unknown) => new ApiError(500, 'internal_error', 'An unexpected error occurred.', { cause }),
};

/** The problem+json body for an error (RFC 9457); `instance` is left out when the request has no known path. */
export function problemBody(error: ApiError, requestId: string, instance?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: `urn:rest-gateway:problem:${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    ...(instance === undefined ? {} : { instance }),
    request_id: requestId,
  };
  if (error.errors.length > 0) body.errors = error.errors;
  for (const [name, value] of Object.entries(error.extensions)) if (!(name in body)) body[name] = value;
  return body;
}
