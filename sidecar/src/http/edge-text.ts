/**
 * Text checks at the edge, once for every route, before authentication:
 * the path, every query parameter (a JSON one such as `filter` walked as
 * JSON), the Basic credentials and the parsed JSON body (depth, strings,
 * keys, numbers: text-checks.ts). A refusal names where and never echoes
 * the value. The OAuth form bodies are read by their routes and checked by
 * oauth/form-body.ts with the same rules.
 */
import type { Middleware } from 'koa';
import { errors, type ApiError } from '../errors.js';
import type { ApiState } from './types.js';
import { decodeUtf8Strict, describeTextProblem, findJsonProblem, percentDecodeStrict, textProblem, type JsonProblem } from './text-checks.js';

/** `field`: what `errors[].field` names (the parameter, `path`, `Authorization`); `where`: the same in words. */
function badParameter(field: string, where: string, message: string): ApiError {
  return errors.badRequest('invalid_parameter', `${where} ${message}.`, { errors: [{ field, message }] });
}

function checkPath(path: string): void {
  for (const segment of path.split('/')) {
    const text = percentDecodeStrict(segment, false);
    if (text === null) throw badParameter('path', 'The path', 'must be percent-encoded UTF-8');
    const problem = textProblem(text);
    if (problem) throw badParameter('path', 'The path', describeTextProblem(problem));
  }
}

/** A JSON parameter's problem, when the value is JSON at all (else the route says what it expected). */
function jsonParameterProblem(value: string): JsonProblem | null {
  const first = value.trimStart()[0];
  if (first !== '[' && first !== '{') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  return findJsonProblem(parsed);
}

function checkQuery(querystring: string): void {
  if (!querystring) return;
  for (const pair of querystring.split('&')) {
    const equals = pair.indexOf('=');
    const name = percentDecodeStrict(equals < 0 ? pair : pair.slice(0, equals), true);
    if (name === null) throw badParameter('query', 'A query parameter name', 'must be percent-encoded UTF-8');
    const nameProblem = textProblem(name);
    if (nameProblem) throw badParameter('query', 'A query parameter name', describeTextProblem(nameProblem));
    if (equals < 0) continue;
    const where = `The query parameter "${name.length > 100 ? `${name.slice(0, 99)}…` : name}"`;
    const value = percentDecodeStrict(pair.slice(equals + 1), true);
    if (value === null) throw badParameter(name, where, 'must be percent-encoded UTF-8');
    const problem = textProblem(value);
    if (problem) throw badParameter(name, where, describeTextProblem(problem));
    const json = jsonParameterProblem(value);
    if (json) throw badParameter(name, json.path ? `${where} at ${json.path}` : where, json.message);
  }
}

/** RFC 7617 §2.1: the credentials are UTF-8 (charset="UTF-8" in our challenge). */
function checkBasic(authorization: string): void {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
  if (!match) return; // malformed credentials are the authenticator's 401
  const text = decodeUtf8Strict(Buffer.from(match[1] as string, 'base64'));
  const problem = text === null ? null : textProblem(text);
  if (text === null || problem) {
    throw badParameter('Authorization', 'The Basic credentials of the Authorization header', problem ? describeTextProblem(problem) : 'must be UTF-8');
  }
}

function checkBody(body: unknown): void {
  if (body === undefined) return;
  const problem = findJsonProblem(body);
  if (!problem) return;
  const field = problem.path || '(body)';
  const detail = problem.path ? `${problem.path}: ${problem.message}.` : `The request body ${problem.message}.`;
  if (problem.kind === 'depth') throw errors.badRequest('invalid_body', detail, { errors: [{ field, message: problem.message }] });
  throw errors.badRequest('invalid_value', detail, { errors: [{ field, message: problem.message, code: 'invalid_value' }] });
}

/** After the body parser, before the routes. */
export function edgeTextMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    checkPath(ctx.path);
    checkQuery(ctx.querystring);
    const authorization = ctx.get('Authorization');
    if (authorization) checkBasic(authorization);
    checkBody((ctx.request as { body?: unknown }).body);
    await next();
  };
}
