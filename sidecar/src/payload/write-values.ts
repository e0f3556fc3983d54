/**
 * A write body → Odoo `vals`: every field checked (exists, allowed by the
 * key's rules, writable, not magic), every value converted by type, x2many
 * commands validated against their related model, and every problem
 * collected and answered together. Pure: the resolver is the only I/O.
 */
import { ApiError, errors } from '../errors.js';
import { isFieldAllowed } from '../policy/authorize.js';
import type { FieldMeta, ModelContext, ModelContextResolver, Operation } from '../policy/types.js';
import { InvalidValue, throwIssues } from './issues.js';
import { toOdooScalar } from './scalar-values.js';
import { MAGIC_FIELDS, PAYLOAD_LIMITS, type FieldIssue, type OdooValues, type RelatedCheck, type WriteMode, type WritePayload } from './types.js';
import { isPlainObject, scopeChecks, toX2ManyCommands, type NestedWriter } from './x2many.js';

const X2MANY = new Set(['one2many', 'many2many']);

/** Writing `active` is archiving or restoring: it needs that toggle too. */
function activeToggle(meta: FieldMeta, value: unknown, mode: WriteMode): Operation | null {
  if (meta.name !== 'active' || meta.type !== 'boolean') return null;
  if (value === false) return 'archive';
  return value === true && mode !== 'create' ? 'restore' : null;
}

class PayloadWalker implements NestedWriter {
  readonly issues: FieldIssue[] = [];
  readonly checks: RelatedCheck[] = [];
  private nested = 0;

  constructor(private readonly resolve: ModelContextResolver) {}

  issue(path: string, error: InvalidValue): void {
    this.issues.push({ field: path, code: error.code, message: error.message });
  }

  check(check: RelatedCheck): void {
    this.checks.push(check);
  }

  spend(count: number, path: string): boolean {
    this.nested += count;
    if (this.nested <= PAYLOAD_LIMITS.nestedRecords) return true;
    this.issue(path, new InvalidValue(`a body may hold at most ${PAYLOAD_LIMITS.nestedRecords} nested records`, 'value_too_large'));
    return false;
  }

  async related(meta: FieldMeta, operation: Operation, path: string): Promise<ModelContext | null> {
    try {
      return await this.resolve(meta.relation as string, operation);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const refusal = error.code === 'operation_not_allowed'
        ? new InvalidValue(`the "${operation}" operation is not allowed on ${meta.relation} for this credential`, 'operation_not_allowed')
        : new InvalidValue(`${meta.relation} is not available to this credential`, 'field_not_allowed');
      this.issue(path, refusal);
      return null;
    }
  }

  /**
   * A many2one to a model in the credential's scopes must name a record
   * inside that scope (D-S8), as x2many ids must: otherwise a narrowed key
   * could link to records its scope hides, and learn which exist. A
   * relation to a model outside the scopes is left to Odoo's rules (D10).
   */
  private async many2oneScope(meta: FieldMeta, id: number, path: string): Promise<void> {
    const related = await this.resolve(meta.relation as string, 'read').catch((error: unknown) => {
      if (error instanceof ApiError) return null;
      throw error;
    });
    // checked before the write, as an x2many id that is linked
    if (related) scopeChecks(this, related, 'add', [id], path);
  }

  /** The field's metadata when the caller may write it; otherwise null, with the issue recorded. */
  private writable(context: ModelContext, name: string, path: string): FieldMeta | null {
    const meta = context.fields.get(name);
    const model = context.grant.model;
    let refusal: InvalidValue | null = null;
    if (MAGIC_FIELDS.has(name)) refusal = new InvalidValue('set by Odoo, not writable', 'field_readonly');
    else if (!meta) refusal = new InvalidValue(`unknown field of ${model}`, 'unknown_field');
    else if (!isFieldAllowed(context.grant.fields, name)) refusal = new InvalidValue(`not available to this credential on ${model}`, 'field_not_allowed');
    else if (meta.readonly) refusal = new InvalidValue(`read-only on ${model}`, 'field_readonly');
    if (refusal) this.issue(path, refusal);
    return refusal ? null : (meta as FieldMeta);
  }

  private async value(context: ModelContext, meta: FieldMeta, raw: unknown, mode: WriteMode, path: string, depth: number): Promise<unknown> {
    if (X2MANY.has(meta.type)) return toX2ManyCommands(meta, raw, mode, path, depth, this);
    const value = toOdooScalar(meta, raw);
    if (meta.type === 'many2one' && typeof value === 'number') await this.many2oneScope(meta, value, path);
    const toggle = activeToggle(meta, value, mode);
    if (toggle && !context.grant.operations[toggle]) {
      throw new InvalidValue(`setting it to ${String(value)} needs the "${toggle}" operation, not allowed on ${context.grant.model}`, 'operation_not_allowed');
    }
    return value;
  }

  async record(raw: unknown, context: ModelContext, mode: WriteMode, prefix: string, depth: number, withId = false): Promise<OdooValues> {
    const values: OdooValues = {};
    if (!isPlainObject(raw)) {
      this.issue(prefix, new InvalidValue('expected an object of field values', 'invalid_body'));
      return values;
    }
    const entries = Object.entries(raw);
    if (entries.length > PAYLOAD_LIMITS.keysPerRecord) {
      this.issue(prefix || '(body)', new InvalidValue(`at most ${PAYLOAD_LIMITS.keysPerRecord} fields`, 'value_too_large'));
      return values;
    }
    for (const [name, item] of entries) {
      if (withId && name === 'id') continue;
      const path = prefix ? `${prefix}.${name}` : name;
      const meta = this.writable(context, name, path);
      if (!meta) continue;
      try {
        values[name] = await this.value(context, meta, item, mode, path, depth);
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        this.issue(path, error);
      }
    }
    if (mode === 'replace') this.requireAll(context, raw);
    return values;
  }

  /** PUT states the record's writable fields: every required one must be given. */
  private requireAll(context: ModelContext, raw: Record<string, unknown>): void {
    for (const meta of context.fields.values()) {
      const writable = meta.required && !meta.readonly && !MAGIC_FIELDS.has(meta.name) && isFieldAllowed(context.grant.fields, meta.name);
      if (writable && !Object.hasOwn(raw, meta.name)) {
        this.issue(meta.name, new InvalidValue('required: PUT replaces the record, so every required writable field must be given', 'field_required'));
      }
    }
  }
}

/**
 * Checks and converts a write body for `context`'s model. Throws 400
 * `invalid_body` when the body is not a JSON object, and one problem
 * listing every field issue otherwise.
 */
export async function compileWriteValues(body: unknown, context: ModelContext, mode: WriteMode, resolve: ModelContextResolver): Promise<WritePayload> {
  if (!isPlainObject(body)) {
    throw errors.badRequest('invalid_body', 'The body must be a JSON object of field values, e.g. {"name": "Acme"}.');
  }
  const walker = new PayloadWalker(resolve);
  const values = await walker.record(body, context, mode, '', 0);
  throwIssues(walker.issues);
  return { values, checks: walker.checks };
}
