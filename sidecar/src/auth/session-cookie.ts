/**
 * The session cookie set by POST /auth/login: HttpOnly (scripts never read
 * it), Secure whenever the request came over HTTPS (directly or through a
 * trusted proxy), SameSite from the settings (Lax by default), scoped to
 * the API's path.
 */
import type { ParameterizedContext } from 'koa';

export const SESSION_COOKIE = 'rgw_session';
export type SameSite = 'lax' | 'strict' | 'none';

export interface CookiePolicy {
  sameSite: SameSite;
  path: string;
}

export function setSessionCookie(ctx: ParameterizedContext, token: string, maxAgeSeconds: number, policy: CookiePolicy): void {
  ctx.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    // SameSite=None is only accepted by browsers on Secure cookies
    secure: ctx.secure,
    sameSite: policy.sameSite === 'none' && !ctx.secure ? 'lax' : policy.sameSite,
    path: policy.path,
    maxAge: maxAgeSeconds * 1000,
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: ParameterizedContext, policy: CookiePolicy): void {
  ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, secure: ctx.secure, path: policy.path, maxAge: 0, overwrite: true });
}

export function readSessionCookie(ctx: ParameterizedContext): string | undefined {
  return ctx.cookies.get(SESSION_COOKIE) || undefined;
}
