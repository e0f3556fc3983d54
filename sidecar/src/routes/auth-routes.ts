/**
 * The authentication, OAuth and admin token routes, in matching order; the
 * route list (index.ts) mounts them before `/:model/...`, whose patterns
 * would otherwise take `/user/me` or `/admin/keys`.
 */
import type { RouteDefinition } from '../http/types.js';
import { createKey, createOAuthClient } from './admin/create-credential.js';
import { deleteKey, deleteOAuthClient, deleteToken } from './admin/delete-credential.js';
import { listKeys, listOAuthClients, listTokens } from './admin/list-credentials.js';
import { readKey, readOAuthClient, readToken } from './admin/read-credential.js';
import { regenerateKey, regenerateOAuthClientSecret } from './admin/regenerate-secret.js';
import { revokeKey, revokeOAuthClient, revokeToken } from './admin/revoke-credential.js';
import { updateKey, updateOAuthClient } from './admin/update-credential.js';
import { clearRequestLogs } from './admin/clear-request-logs.js';
import { changePassword } from './auth/change-password.js';
import { createApiKey } from './auth/create-api-key.js';
import { login } from './auth/login.js';
import { logout } from './auth/logout.js';
import { readMe } from './auth/me.js';
import { resetPassword } from './auth/reset-password.js';
import { introspectToken } from './oauth/introspect-token.js';
import { issueToken } from './oauth/issue-token.js';
import { revokeOAuthToken } from './oauth/revoke-token.js';

export const authRoutes: RouteDefinition[] = [
  login,
  logout,
  readMe,
  changePassword,
  resetPassword,
  createApiKey,
  issueToken,
  introspectToken,
  revokeOAuthToken,
  listKeys,
  createKey,
  readKey,
  updateKey,
  deleteKey,
  revokeKey,
  regenerateKey,
  listOAuthClients,
  createOAuthClient,
  readOAuthClient,
  updateOAuthClient,
  deleteOAuthClient,
  revokeOAuthClient,
  regenerateOAuthClientSecret,
  listTokens,
  readToken,
  deleteToken,
  revokeToken,
  clearRequestLogs,
];
