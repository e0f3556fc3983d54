/**
 * In-memory view of the gateway configuration, compiled for lookups on the
 * request path and reloaded whenever the addon NOTIFYs a change.
 */
import { readGatewayConfig, type ApiKeyRow, type GatewayConfigSnapshot, type OperationToggles, type UserRow } from '../db/gateway-config.js';
import type { Db } from '../db/knex.js';
import { parseAddressList, type AddressMatcher } from '../auth/address-match.js';
import type { Domain, ModelGrant } from '../policy/types.js';
import type { Logger } from '../observability/logger.js';

export interface CompiledKey {
  row: ApiKeyRow;
  user: UserRow | null;
  allowedAddresses: AddressMatcher;
  allowedOrigins: ReadonlySet<string>;
  grants: ReadonlyMap<string, ModelGrant>;
}

export interface CompiledConfig {
  keysByPrefix: ReadonlyMap<string, CompiledKey>;
  /** Installed language codes, Odoo style (`fr_FR`). */
  languages: readonly string[];
  loadedAt: Date;
}

function parseDomain(json: string | null, log: Logger, where: string): Domain | null {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    if (Array.isArray(value)) return value;
  } catch {
    /* fall through */
  }
  log.error('unreadable domain in configuration; access through it is refused', { where });
  return null;
}

function andToggles(a: OperationToggles, b: OperationToggles): OperationToggles {
  return {
    read: a.read && b.read,
    create: a.create && b.create,
    update: a.update && b.update,
    delete: a.delete && b.delete,
    archive: a.archive && b.archive,
    restore: a.restore && b.restore,
  };
}

function safeAddressList(text: string | null, log: Logger, where: string): AddressMatcher {
  try {
    return parseAddressList(text);
  } catch (error) {
    log.error('unreadable address list; the key accepts no address', { where, error: (error as Error).message });
    return { empty: false, matches: () => false };
  }
}

export function compileConfig(snapshot: GatewayConfigSnapshot, log: Logger): CompiledConfig {
  const models = new Map(snapshot.models.map((m) => [m.id, m]));
  const users = new Map(snapshot.users.map((u) => [u.id, u]));
  const scopesByKey = new Map<number, typeof snapshot.scopes>();
  for (const scope of snapshot.scopes) {
    const list = scopesByKey.get(scope.keyId) ?? [];
    list.push(scope);
    scopesByKey.set(scope.keyId, list);
  }
  const keysByPrefix = new Map<string, CompiledKey>();
  for (const key of snapshot.keys) {
    const grants = new Map<string, ModelGrant>();
    for (const scope of scopesByKey.get(key.id) ?? []) {
      const exposed = models.get(scope.exposedModelId);
      if (!exposed) continue; // model not exposed (or inactive): nothing granted
      const modelDomain = parseDomain(exposed.domainJson, log, `rest.gateway.model ${exposed.id}`);
      const scopeDomain = parseDomain(scope.domainJson, log, `rest.gateway.key.scope ${scope.id}`);
      if (modelDomain === null || scopeDomain === null) continue;
      grants.set(exposed.model, {
        model: exposed.model,
        name: exposed.name,
        operations: andToggles(exposed.toggles, scope.toggles),
        domains: [modelDomain, scopeDomain].filter((d) => d.length > 0),
        fields: {
          allowed: scope.allowedFields.length ? new Set(scope.allowedFields) : null,
          blocked: new Set(scope.blockedFields),
        },
        defaultPageSize: exposed.defaultPageSize,
        maxPageSize: exposed.maxPageSize,
      });
    }
    keysByPrefix.set(key.prefix, {
      row: key,
      user: users.get(key.userId) ?? null,
      allowedAddresses: safeAddressList(key.allowedIps, log, `rest.gateway.key ${key.id}`),
      allowedOrigins: new Set(
        (key.allowedOrigins ?? '')
          .split(/[\s,]+/)
          .map((o) => o.trim().replace(/\/+$/, '').toLowerCase())
          .filter(Boolean),
      ),
      grants,
    });
  }
  return { keysByPrefix, languages: snapshot.languages, loadedAt: new Date() };
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
