/** The bridge call: what the sidecar asks Odoo to run, as docs/bridge-protocol.md defines it. */

export interface BridgeOperation {
  model: string;
  method: string;
  ids?: number[];
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  /** A domain `ids` must match before the method runs (else kind `missing`) and the resulting records after it (else kind `access`, rolled back). */
  guard?: unknown[];
  /** The result becomes `search_read` of the resulting records with these fields, in their order. */
  read?: { fields: string[] };
  /** Non-atomic calls: consecutive operations of one group share a savepoint (fail together). */
  group?: number;
}

export interface BridgeContext {
  lang?: string;
  tz?: string;
  allowed_company_ids?: number[];
  active_test?: boolean;
  bin_size?: boolean;
}

export interface BridgeCall {
  uid: number;
  context: BridgeContext;
  operations: BridgeOperation[];
  /** true (default): one transaction, all or nothing. */
  atomic?: boolean;
  /** Every operation only reads: use the read-only route. */
  readonly: boolean;
  /** The Idempotency-Key claim the write runs under: Odoo locks it and records the answer in the write's transaction. */
  idempotency?: BridgeIdempotency;
}

/** An idempotency claim as the bridge takes it (docs/bridge-protocol.md "Idempotency"). */
export interface BridgeIdempotency {
  id: number;
  attempt: number;
  /** The request digest the claim was made for. */
  digest: string;
  /** SHA-256 of the operations, recorded with the answer. */
  call_digest: string;
}

export const BRIDGE_ERROR_KINDS = [
  'access',
  'missing',
  'validation',
  'user',
  'unique',
  'ambiguous',
  'upsert_conflict',
  'related_missing',
  'integrity',
  'concurrency',
  'bad_request',
  'user_invalid',
  'signature',
  'idempotency',
  'internal',
] as const;

export type BridgeErrorKind = (typeof BRIDGE_ERROR_KINDS)[number];

export class BridgeError extends Error {
  constructor(
    readonly kind: BridgeErrorKind,
    message: string,
    readonly operation: number | null = null,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** Odoo could not be reached or answered something that is not the bridge's JSON. */
export class BridgeUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeUnavailableError';
  }
}

/** Odoo's answer is larger than BRIDGE_RESPONSE_LIMIT: the sidecar stopped reading it. */
export class BridgeResponseTooLargeError extends Error {
  /** `write`: the call could write, so its changes may have been applied. */
  constructor(
    readonly limit: number,
    readonly write = false,
  ) {
    super(`Odoo's answer exceeds the bridge response limit of ${limit} bytes`);
    this.name = 'BridgeResponseTooLargeError';
  }
}
