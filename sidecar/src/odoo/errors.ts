/** One mapping table: bridge error kind → HTTP problem (docs/bridge-protocol.md). */
import { ApiError } from '../errors.js';
import { BridgeError, BridgeResponseTooLargeError, BridgeUnavailableError, type BridgeErrorKind } from './bridge-types.js';

// Odoo's MissingError names the model, the ids and the user: it stays in
// the log (`cause`), never in the answer. An access refusal arrives worded
// by the addon (Odoo's own rule text is replaced there), D-S9.
const MISSING_DETAIL = 'A record this request names does not exist, or is not visible to this credential.';

const BY_KIND: Record<BridgeErrorKind, (message: string) => ApiError> = {
  access: (m) => new ApiError(403, 'forbidden', m),
  missing: () => new ApiError(404, 'record_not_found', MISSING_DETAIL),
  validation: (m) => new ApiError(422, 'validation_error', m),
  user: (m) => new ApiError(422, 'validation_error', m),
  unique: (m) => new ApiError(409, 'conflict', m),
  ambiguous: (m) => new ApiError(409, 'upsert_ambiguous', m),
  upsert_conflict: (m) => new ApiError(409, 'upsert_conflict', m),
  // the addon's message starts with the field's path: "country_id: res.country 99999 does not exist."
  related_missing: (m) => new ApiError(422, 'related_record_not_found', m, { errors: [{ field: /^([\w.]+): /.exec(m)?.[1] ?? '(body)', message: m }] }),
  integrity: (m) => new ApiError(422, 'validation_error', m),
  concurrency: (m) => new ApiError(409, 'conflict', m),
  bad_request: (m) => new ApiError(400, 'bad_request', m),
  // this attempt lost its Idempotency-Key claim to a retry: the retry runs it
  idempotency: (m) => new ApiError(409, 'idempotency_in_progress', m, { headers: { 'Retry-After': '1' } }),
  user_invalid: () => new ApiError(401, 'invalid_token', 'The credential\'s user is inactive or does not exist.', {
    headers: { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token"' },
  }),
  // A signature refusal is a deployment fault, not the client's.
  signature: (m) => new ApiError(500, 'internal_error', 'An unexpected error occurred.', { cause: m }),
  internal: () => new ApiError(500, 'internal_error', 'An unexpected error occurred.'),
};

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof BridgeError) {
    const mapped = BY_KIND[error.kind](error.message);
    return new ApiError(mapped.status, mapped.code, mapped.detail, { errors: mapped.errors, headers: mapped.headers, cause: error });
  }
  if (error instanceof BridgeResponseTooLargeError) {
    const detail = error.write
      ? 'Odoo ran the request, but its answer is too large to read: the changes may have been applied. Ask for fewer fields back (fields=), or send smaller batches.'
      : 'The answer to this request is too large; narrow the query: fewer fields, a smaller limit, fewer or smaller expansions.';
    return new ApiError(422, 'response_too_large', detail, { cause: error });
  }
  if (error instanceof BridgeUnavailableError) {
    return new ApiError(503, 'odoo_unavailable', 'Odoo is not reachable right now; try again shortly.', {
      headers: { 'Retry-After': '5' },
      cause: error,
    });
  }
  return new ApiError(500, 'internal_error', 'An unexpected error occurred.', { cause: error });
}
