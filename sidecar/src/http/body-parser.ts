/**
 * The JSON body parser (koa-body, strict JSON only, with the configured
 * size limit) and what its failures answer: a body whose Content-Encoding
 * is unknown is a 415 naming the codings we read (RFC 9110 §15.5.16, RFC
 * 7694 §3), one that does not decode as its coding says a 400, never a 500.
 * Form bodies (OAuth) are left unread for their routes.
 */
import type { Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { ApiError, errors } from '../errors.js';
import type { ApiState } from './types.js';

/** What co-body (through the `inflation` package) decodes. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

function bodyError(error: Error): Error {
  const status = (error as { status?: unknown }).status;
  const type = (error as { type?: unknown }).type;
  if (status === 415 && /content-encoding/i.test(error.message)) {
    return new ApiError(415, 'unsupported_media_type', `This Content-Encoding is not supported; send the body uncompressed or as ${ACCEPTED_ENCODINGS}.`, {
      headers: { 'Accept-Encoding': ACCEPTED_ENCODINGS },
      cause: error,
    });
  }
  if (type === 'charset.unsupported') {
    return new ApiError(415, 'unsupported_media_type', 'The request body must be UTF-8 JSON (application/json; charset=utf-8).', { cause: error });
  }
  // zlib and brotli stream errors carry no status: the body is not what its coding says
  if (typeof status !== 'number') {
    return errors.badRequest('invalid_body', 'The request body could not be decoded as its Content-Encoding says.', { cause: error });
  }
  return error; // 400 invalid JSON, 413 too large: the problem responder's mapping
}

export function jsonBodyParser(limit: string | number): Middleware<ApiState> {
  return koaBody({
    json: true,
    jsonStrict: true,
    multipart: false,
    urlencoded: false,
    text: false,
    jsonLimit: limit,
    onError: (error) => {
      throw bodyError(error);
    },
  }) as unknown as Middleware<ApiState>;
}
