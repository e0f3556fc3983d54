/**
 * The language and companies a request acts in: `?lang=` (or
 * `Accept-Language`, quality values honoured) among the installed
 * languages, and `X-Company-Id` (one id or a comma list) among the
 * user's companies. Sets ctx.state.odooContext and Content-Language.
 */
import type { Middleware } from 'koa';
import { errors } from '../errors.js';
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { BridgeContext } from '../odoo/bridge-types.js';
import { singleParam, type RawQuery } from '../query/params.js';
import type { ApiContext, ApiState } from './types.js';

const toTag = (code: string): string => code.replace('_', '-');

/** `?lang=` wins; it must name an installed language (fr_FR or fr-FR). */
function explicitLanguage(raw: string, installed: readonly string[]): string {
  const wanted = raw.replace('-', '_').toLowerCase();
  const found = installed.find((code) => code.toLowerCase() === wanted);
  if (!found) {
    throw errors.badRequest('invalid_parameter', `The language "${raw}" is not installed; installed: ${installed.join(', ')}.`, {
      errors: [{ field: 'lang', message: `one of ${installed.join(', ')}` }],
    });
  }
  return found;
}

/**
 * Best installed language for the Accept-Language header, or undefined
 * (the user's own language then applies: a preference, not a demand).
 * A bare primary tag (`fr`) matches the first installed variant (`fr_FR`).
 */
function negotiatedLanguage(ctx: ApiContext, installed: readonly string[]): string | undefined {
  if (!ctx.get('Accept-Language')) return undefined;
  const tags = installed.map(toTag);
  const primaries = [...new Set(installed.map((code) => code.split('_')[0] as string))];
  const best = ctx.acceptsLanguages([...tags, ...primaries]);
  if (!best || best === '*') return undefined;
  const exact = installed.find((code) => toTag(code).toLowerCase() === best.toLowerCase());
  return exact ?? installed.find((code) => code.split('_')[0] === best);
}

function companies(ctx: ApiContext, userCompanyIds: readonly number[]): number[] | undefined {
  const header = ctx.get('X-Company-Id').trim();
  if (!header) return undefined;
  const parts = header.split(',').map((p) => p.trim());
  if (parts.length > 100 || parts.some((p) => !/^[1-9]\d{0,9}$/.test(p))) {
    throw errors.badRequest('invalid_parameter', 'X-Company-Id must be a company id or a comma-separated list of ids.', {
      errors: [{ field: 'X-Company-Id', message: 'expected positive integers' }],
    });
  }
  const ids = [...new Set(parts.map(Number))];
  const foreign = ids.filter((id) => !userCompanyIds.includes(id));
  if (foreign.length) {
    throw errors.forbidden('company_not_allowed', `The user may not act in compan${foreign.length > 1 ? 'ies' : 'y'} ${foreign.join(', ')}.`, {
      errors: [{ field: 'X-Company-Id', message: `not among the user's companies` }],
    });
  }
  return ids;
}

export function odooContextMiddleware(config: GatewayConfigCache): Middleware<ApiState> {
  return async (rawCtx, next) => {
    const ctx = rawCtx as unknown as ApiContext;
    const principal = ctx.state.principal;
    if (!principal) throw new Error('odoo context needs an authenticated request');
    const installed = config.config.languages;
    const rawLang = singleParam(ctx.query as RawQuery, 'lang');
    const lang = rawLang !== undefined ? explicitLanguage(rawLang, installed) : negotiatedLanguage(ctx, installed);
    const companyIds = companies(ctx, principal.user.companyIds);
    const context: BridgeContext = {};
    if (lang) context.lang = lang;
    if (companyIds) context.allowed_company_ids = companyIds;
    ctx.state.odooContext = context;
    const effective = lang ?? principal.user.lang;
    if (effective) ctx.set('Content-Language', toTag(effective));
    ctx.vary('Accept-Language');
    await next();
  };
}
