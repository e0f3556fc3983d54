/**
 * Types of the write-payload stage: a JSON body checked against the
 * caller's field rules and turned into Odoo values (create/write `vals`),
 * plus the scope checks the related records of x2many commands need.
 */
import type { ErrorCode } from '../errors.js';
import type { Domain } from '../policy/types.js';

/** create: POST and copy overrides; update: PATCH; replace: PUT (docs/decisions.md D11). */
export type WriteMode = 'create' | 'update' | 'replace';

/** Odoo `vals`: field name → value (scalars, ids, or x2many command lists). */
export type OdooValues = Record<string, unknown>;

/** An x2many command as Odoo's ORM takes it (`Command.set` is `[6, 0, ids]`). */
export type OdooCommand = [number, number, ...unknown[]];

/** One problem with one field of the body; `field` is its path (`category_id.create[0].name`). */
export interface FieldIssue {
  field: string;
  code: ErrorCode;
  message: string;
}

/**
 * Related records that an x2many command names must be inside the
 * credential's scope on their model: `before` the write (else the id is
 * refused as unknown) and, for updated ones, still `after` it.
 */
export interface RelatedCheck {
  field: string;
  model: string;
  ids: number[];
  domain: Domain;
  phase: 'before' | 'after';
}

export interface WritePayload {
  values: OdooValues;
  checks: RelatedCheck[];
}

export const PAYLOAD_LIMITS = {
  /** Characters of a char field. */
  charLength: 10_000,
  /** Characters of a text or html field (the body limit also applies). */
  textLength: 1_000_000,
  /** Ids in one x2many list. */
  idsPerList: 1_000,
  /** Records in one x2many `create` or `update` list. */
  recordsPerList: 100,
  /** Nested records (x2many create/update objects) in one body. */
  nestedRecords: 500,
  /** Levels of x2many records inside records. */
  depth: 3,
  /** Keys of one record object. */
  keysPerRecord: 1_000,
} as const;

/** Odoo's magic columns: set by the ORM, never by a client. */
export const MAGIC_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'create_date',
  'write_date',
  'create_uid',
  'write_uid',
  'display_name',
  '__last_update',
]);
