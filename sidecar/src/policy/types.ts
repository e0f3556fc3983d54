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
  /**
   * The paths this field is computed or related from, per the ORM's
   * dependency graph (`["email"]`, `["partner_id.email"]`); empty or absent
   * for a plain field. A field computed from a blocked field is blocked too (D-S3).
   */
  depends?: readonly string[];
}

export type ModelFields = ReadonlyMap<string, FieldMeta>;

/** What a `display_name` search (and a text comparison on a relation) compares with (D-S4). */
export interface NameSearch {
  /** `_rec_names_search`, else `_rec_name`. */
  fields: readonly string[];
  /** The model overrides `_search_display_name`: it may compare with other fields too. */
  extended: boolean;
}

/** A model as one request may use it: what is granted and what exists. */
export interface ModelContext {
  /** The grant with its field rules made effective over these fields (policy/effective-rules.ts). */
  grant: ModelGrant;
  fields: ModelFields;
  /** Absent when unknown: a `display_name` search is then allowed only without field rules. */
  nameSearch?: NameSearch;
  /** The credential's grants on every model (for checks that name a related model without reading it). */
  grants?: ReadonlyMap<string, ModelGrant>;
}

/** Resolves a model for the current request (404 when not exposed to the caller, 403 when the operation is not allowed). */
export type ModelContextResolver = (model: string, operation: Operation) => Promise<ModelContext>;
