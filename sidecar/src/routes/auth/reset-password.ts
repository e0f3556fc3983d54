/**
 * POST /auth/password/reset: starts Odoo's own reset flow (auth_signup
 * mails a reset link). The answer is the same whether the login exists or
 * not; without auth_signup, or with reset disabled, it says so (501).
 */
import { z } from 'zod';
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody } from './auth-support.js';

const body = z.strictObject({ login: z.string().min(1).max(255) });

export const resetPassword: RouteDefinition = {
  method: 'post',
  path: '/auth/password/reset',
  operationId: 'resetPassword',
  summary: "Start Odoo's password reset (a link by email)",
  tags: ['Authentication'],
  authenticated: false,
  query: [],
  async handler(ctx, services) {
    const { login } = parseJsonBody(ctx, body);
    await services.auth.odooAuth.resetPassword(login, ctx.state.clientAddress);
    ctx.status = 202;
    ctx.body = { data: { status: 'requested', detail: 'If an account with this login or email exists, a reset link has been sent to its email address.' } };
  },
};
