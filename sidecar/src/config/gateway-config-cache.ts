/**
 * In-memory view of the gateway configuration, compiled for lookups on the
 * request path (API keys by prefix, OAuth clients by client_id, the grants
 * of full-rights credentials, CORS origins) and reloaded whenever the addon
 * NOTIFYs a change.
 */
import { readGatewayConfig, type ApiKeyRow, type GatewayConfigSnapshot, type ScopeRow, type UserRow } from '../db/gateway-config.js';
import type { OAuthClientRow } from '../db/oauth-clients.js';
import type { Db } from '../db/knex.js';
import { parseAddressList, type AddressMatcher } from '../auth/address-match.js';
import { parseOriginList } from '../cors/origins.js';
import type { ModelGrant } from '../policy/types.js';
import type { Logger } from '../observability/logger.js';
import { fullUserGrants, scopedGrants } from './compile-grants.js';
import { readGatewaySettings, type GatewaySettings } from './gateway-settings.js';

/** What a key and an OAuth client share once compiled. */
export interface CompiledCredential {
  user: UserRow | null;
  allowedAddresses: AddressMatcher;
  /** Lowercase origins; empty = any. */
  allowedOrigins: ReadonlySet<string>;
  grants: ReadonlyMap<string, ModelGrant>;
}

export interface CompiledKey extends CompiledCredential {
  row: ApiKeyRow;
}

export interface CompiledClient extends CompiledCredential {
  row: OAuthClientRow;
}

export interface CompiledConfig {
  keysByPrefix: ReadonlyMap<string, CompiledKey>;
  keysById: ReadonlyMap<number, CompiledKey>;
  /** By the public client_id. */
  clientsByClientId: ReadonlyMap<string, CompiledClient>;
  clientsById: ReadonlyMap<number, CompiledClient>;
  /** Grants of sessions and Basic with a password. */
  userGrants: ReadonlyMap<string, ModelGrant>;
  settings: GatewaySettings;
  /** Every origin configured anywhere (global, keys, clients): CORS answers these. */
  configuredOrigins: ReadonlySet<string>;
  /** Installed language codes, Odoo style (`fr_FR`). */
  languages: readonly string[];
  loadedAt: Date;
}

function safeAddressList(text: string | null, log: Logger, where: string): AddressMatcher {
  try {
    return parseAddressList(text);
  } catch (error) {
    log.error('unreadable address list; the credential accepts no address', { where, error: (error as Error).message });
    return { empty: false, matches: () => false };
  }
}

function groupScopes(scopes: readonly ScopeRow[], owner: 'keyId' | 'clientId'): Map<number, ScopeRow[]> {
  const byOwner = new Map<number, ScopeRow[]>();
  for (const scope of scopes) {
    const id = scope[owner];
    if (id === null) continue;
    byOwner.set(id, [...(byOwner.get(id) ?? []), scope]);
  }
  return byOwner;
}

export function compileConfig(snapshot: GatewayConfigSnapshot, log: Logger): CompiledConfig {
  const models = new Map(snapshot.models.map((m) => [m.id, m]));
  const users = new Map(snapshot.users.map((u) => [u.id, u]));
  const settings = readGatewaySettings(snapshot.params, log);
  const configuredOrigins = new Set(settings.corsOrigins);
  const credential = (row: ApiKeyRow | OAuthClientRow, scopes: ScopeRow[] | undefined, where: string): CompiledCredential => {
    const allowedOrigins = parseOriginList(row.allowedOrigins);
    for (const origin of allowedOrigins) configuredOrigins.add(origin);
    return {
      user: users.get(row.userId) ?? null,
      allowedAddresses: safeAddressList(row.allowedIps, log, where),
      allowedOrigins,
      grants: scopedGrants(scopes ?? [], models, log),
    };
  };
  const keyScopes = groupScopes(snapshot.scopes, 'keyId');
  const clientScopes = groupScopes(snapshot.scopes, 'clientId');
  const keysByPrefix = new Map<string, CompiledKey>();
  for (const row of snapshot.keys) {
    keysByPrefix.set(row.prefix, { row, ...credential(row, keyScopes.get(row.id), `rest.gateway.key ${row.id}`) });
  }
  const clientsById = new Map<number, CompiledClient>();
  for (const row of snapshot.clients) {
    clientsById.set(row.id, { row, ...credential(row, clientScopes.get(row.id), `rest.gateway.oauth.client ${row.id}`) });
  }
  return {
    keysByPrefix,
    keysById: new Map([...keysByPrefix.values()].map((k) => [k.row.id, k])),
    clientsById,
    clientsByClientId: new Map([...clientsById.values()].map((c) => [c.row.clientId, c])),
    userGrants: fullUserGrants(snapshot.models, log),
    settings,
    configuredOrigins,
    languages: snapshot.languages,
    loadedAt: new Date(),
  };
}

/** Holds the current compiled configuration; `reload()` is serialized and coalesced. */
export class GatewayConfigCache {
  private current: CompiledConfig | null = null;
  private pending: Promise<void> | null = null;
  private again = false;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  get config(): CompiledConfig {
    if (!this.current) throw new Error('configuration not loaded yet');
    return this.current;
  }

  /** Called after every successful reload (e.g. to drop derived caches). */
  onReload(listener: () => void): void {
    this.listeners.push(listener);
  }

  reload(): Promise<void> {
    if (this.pending) {
      this.again = true;
      return this.pending;
    }
    this.pending = (async () => {
      do {
        this.again = false;
        try {
          this.current = compileConfig(await readGatewayConfig(this.db), this.log);
          for (const listener of this.listeners) listener();
        } catch (error) {
          this.log.error('configuration reload failed; keeping the previous one', { error: (error as Error).message });
          if (!this.current) throw error;
        }
      } while (this.again);
    })().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }
}
