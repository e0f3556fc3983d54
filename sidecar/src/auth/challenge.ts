/**
 * 401 answers and their `WWW-Authenticate` challenges: RFC 6750 §3 for
 * Bearer (with `error="invalid_token"` when a token was sent), RFC 7617 for
 * Basic. The detail never says whether a login or a key exists.
 */
import { errors, type ApiError } from '../errors.js';

export const BEARER_CHALLENGE = 'Bearer realm="api"';
export const BASIC_CHALLENGE = 'Basic realm="api", charset="UTF-8"';

const quoted = (text: string): string => text.replace(/["\\]/g, "'");

/** No credential at all: offer every scheme (RFC 9110 §11.6.1 allows several challenges). */
export function missingCredentials(): ApiError {
  return errors.unauthorized('unauthorized', 'Authentication is required: send "Authorization: Bearer <API key or token>", Basic credentials, or the session cookie.', {
    headers: { 'WWW-Authenticate': `${BEARER_CHALLENGE}, ${BASIC_CHALLENGE}` },
  });
}

/** RFC 6750 §3.1 invalid_token: expired, revoked, malformed or unknown. */
export function invalidBearer(detail: string): ApiError {
  return errors.unauthorized('invalid_token', detail, {
    headers: { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_token", error_description="${quoted(detail)}"` },
  });
}

/** RFC 6750 §3.1 invalid_request: the Authorization header itself is malformed. */
export function malformedAuthorization(detail: string): ApiError {
  return errors.unauthorized('invalid_token', detail, {
    headers: { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_request", error_description="${quoted(detail)}"` },
  });
}

/** Basic credentials (or a login form) that do not verify; RFC 7617 §2 challenge. */
export function invalidCredentials(detail = 'Invalid login or password.'): ApiError {
  return errors.unauthorized('invalid_credentials', detail, { headers: { 'WWW-Authenticate': BASIC_CHALLENGE } });
}
