/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §3.2: the
 * OAuth endpoints take form parameters, each at most once), with a size
 * limit. The JSON body parser leaves these bodies unread.
 */
import type { ParameterizedContext } from 'koa';
import { OAuthError } from './oauth-error.js';

const LIMIT_BYTES = 16 * 1024;

async function readRaw(ctx: ParameterizedContext): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > LIMIT_BYTES) throw new OAuthError('invalid_request', 'The request body is too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readFormParams(ctx: ParameterizedContext): Promise<Map<string, string>> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded (RFC 6749 §3.2).');
  }
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(await readRaw(ctx))) {
    if (params.has(name)) throw new OAuthError('invalid_request', `The parameter "${name}" is given more than once.`);
    params.set(name, value);
  }
  return params;
}
