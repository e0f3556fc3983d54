/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §3.2: the
 * OAuth endpoints take form parameters, each at most once), with a size
 * limit. The JSON body parser leaves these bodies unread, so the edge's
 * text rules (http/text-checks.ts) are applied here: UTF-8, no NUL, no
 * unpaired surrogate, answered as the OAuth error `invalid_request`.
 */
import type { ParameterizedContext } from 'koa';
import { describeTextProblem, percentDecodeStrict, textProblem } from '../http/text-checks.js';
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
  for (const [name, value] of formPairs(await readRaw(ctx))) {
    if (params.has(name)) throw new OAuthError('invalid_request', `The parameter "${name}" is given more than once.`);
    params.set(name, value);
  }
  return params;
}

/** Form pairs as URLSearchParams reads them, refusing what the edge refuses (URLSearchParams would turn bad UTF-8 into U+FFFD). */
function* formPairs(body: string): Generator<[string, string]> {
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const equals = pair.indexOf('=');
    const name = percentDecodeStrict(equals < 0 ? pair : pair.slice(0, equals), true);
    const value = equals < 0 ? '' : percentDecodeStrict(pair.slice(equals + 1), true);
    if (name === null || value === null) throw new OAuthError('invalid_request', 'The form parameters must be percent-encoded UTF-8.');
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) throw new OAuthError('invalid_request', `A form parameter ${describeTextProblem(problem)}.`);
    yield [name, value];
  }
}
