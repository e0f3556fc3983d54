/**
 * What a credential may do: per model, the operations, the domains that
 * narrow every query, and the field rules. Built from the configuration
 * by config/gateway-config-cache.ts; consumed by policy/ and query/.
 */
import type { OperationToggles, UserRow } from '../db/gateway-config.js';

export type Operation = keyof OperationToggles;
export type DomainTerm = unknown;
export type Domain = DomainTerm[];

export interface FieldRules {
  /** null: every field the Odoo user may see. */
  allowed: ReadonlySet<string> | null;
  blocked: ReadonlySet<string>;
}

export interface ModelGrant {
  model: string;
  name: string;
  operations: OperationToggles;
  /** Domains AND-ed into every query (model configuration, then scope). */
  domains: Domain[];
  fields: FieldRules;
  defaultPageSize: number;
  maxPageSize: number;
}

/** The ways in (docs/decisions.md, "Authentication"): every one ends in a Principal. */
export type PrincipalKind = 'api_key' | 'session' | 'oauth' | 'basic';

/** How the credential travelled: `Authorization: Bearer`, `Authorization: Basic`, or the session cookie. */
export type CredentialScheme = 'bearer' | 'basic' | 'cookie';

export interface Principal {
  kind: PrincipalKind;
  /** The key's, OAuth client's or session's row id; the user id for Basic with a password. */
  credentialId: number;
  credentialName: string;
  user: UserRow;
  grants: ReadonlyMap<string, ModelGrant>;
  /** Requests per minute; 0 = the global default. */
  rateLimit: number;
  scheme?: CredentialScheme;
  /** The `rest_gateway_token` row behind a session or an OAuth access token. */
  tokenId?: number;
}

/** One field as Odoo's fields_get describes it to the acting user. */
export interface FieldMeta {
  name: string;
  type: string;
  string: string;
  relation: string | null;
  store: boolean;
  sortable: boolean;
  searchable: boolean;
  readonly: boolean;
  required: boolean;
  selection: Array<[string, string]> | null;
  help: string | null;
}

export type ModelFields = ReadonlyMap<string, FieldMeta>;

/** A model as one request may use it: what is granted and what exists. */
export interface ModelContext {
  grant: ModelGrant;
  fields: ModelFields;
}

/** Resolves a model for the current request (404 when not exposed to the caller, 403 when the operation is not allowed). */
export type ModelContextResolver = (model: string, operation: Operation) => Promise<ModelContext>;
