/**
 * Written one2many / many2many values → Odoo commands. A list of ids
 * replaces (`Command.set`); an object takes `set`, `delete`, `remove`,
 * `add`, `update`, `create`, applied in that order. Each command needs its
 * toggle on the related model, and nested records follow that model's rules.
 */
import type { FieldMeta, ModelContext, Operation } from '../policy/types.js';
import { InvalidValue } from './issues.js';
import { recordId } from './scalar-values.js';
import { PAYLOAD_LIMITS, type OdooCommand, type OdooValues, type RelatedCheck, type WriteMode } from './types.js';

const COMMAND_KEYS = ['set', 'delete', 'remove', 'add', 'update', 'create'] as const;
type CommandKey = (typeof COMMAND_KEYS)[number];
/** PUT replaces: only the forms that state the whole new content. */
const REPLACE_KEYS: ReadonlySet<string> = new Set(['set', 'create']);

/** What the x2many stage needs from the payload walker (write-values.ts). */
export interface NestedWriter {
  record(raw: unknown, context: ModelContext, mode: WriteMode, path: string, depth: number, withId?: boolean): Promise<OdooValues>;
  /** The related model for `operation`, or null after recording why not. */
  related(meta: FieldMeta, operation: Operation, path: string): Promise<ModelContext | null>;
  issue(path: string, error: InvalidValue): void;
  check(check: RelatedCheck): void;
  /** Counts nested records against the body's budget; false (issue recorded) when over. */
  spend(count: number, path: string): boolean;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function idList(value: unknown): number[] {
  if (!Array.isArray(value)) throw new InvalidValue('expected a list of record ids');
  if (value.length > PAYLOAD_LIMITS.idsPerList) throw new InvalidValue(`at most ${PAYLOAD_LIMITS.idsPerList} ids`, 'value_too_large');
  return value.map((item, i) => {
    try {
      return recordId(item);
    } catch {
      throw new InvalidValue(`item ${i} is not a record id (a positive integer)`);
    }
  });
}

function recordList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new InvalidValue('expected a list of objects');
  if (value.length > PAYLOAD_LIMITS.recordsPerList) throw new InvalidValue(`at most ${PAYLOAD_LIMITS.recordsPerList} records`, 'value_too_large');
  return value;
}

/** Linking changes the related records only for a one2many (their inverse many2one). */
function operationOf(meta: FieldMeta, key: CommandKey): Operation {
  if (key === 'create' || key === 'update' || key === 'delete') return key;
  return meta.type === 'one2many' ? 'update' : 'read';
}

/** Records named by id must be inside the related scope (and stay inside once updated). */
export function scopeChecks(writer: NestedWriter, related: ModelContext, key: CommandKey, ids: number[], path: string): void {
  if (related.grant.domains.length === 0 || ids.length === 0) return;
  const domain = related.grant.domains.flat();
  writer.check({ field: path, model: related.grant.model, ids, domain, phase: 'before' });
  if (key === 'update') writer.check({ field: path, model: related.grant.model, ids, domain, phase: 'after' });
}

async function commandsFor(meta: FieldMeta, key: CommandKey, raw: unknown, path: string, depth: number, writer: NestedWriter): Promise<OdooCommand[]> {
  const related = await writer.related(meta, operationOf(meta, key), path);
  if (!related) return [];
  if (key === 'set' || key === 'add' || key === 'remove' || key === 'delete') {
    const ids = idList(raw);
    scopeChecks(writer, related, key, ids, path);
    if (key === 'set') return [[6, 0, ids]];
    return ids.map((id): OdooCommand => [{ delete: 2, remove: 3, add: 4 }[key], id]);
  }
  const items = recordList(raw);
  if (depth + 1 > PAYLOAD_LIMITS.depth) throw new InvalidValue(`records nest at most ${PAYLOAD_LIMITS.depth} levels deep`, 'value_too_large');
  if (!writer.spend(items.length, path)) return [];
  if (key === 'create') {
    if (related.grant.domains.length > 0) {
      // the new records' ids are unknown here, so their scope cannot be checked in the same call
      throw new InvalidValue(`${related.grant.model} is restricted by a domain for this credential: create it at /${related.grant.model} and link its id`, 'operation_not_allowed');
    }
    const created: OdooCommand[] = [];
    // one by one, so that issues are listed in body order
    for (const [i, item] of items.entries()) created.push([0, 0, await writer.record(item, related, 'create', `${path}[${i}]`, depth + 1)]);
    return created;
  }
  const ids = items.map((item, i) => (isPlainObject(item) ? recordId(item.id, `"id" in item ${i}`) : recordId(undefined, `an object with an "id" as item ${i}`)));
  scopeChecks(writer, related, key, ids, path);
  const updated: OdooCommand[] = [];
  for (const [i, item] of items.entries()) updated.push([1, ids[i] as number, await writer.record(item, related, 'update', `${path}[${i}]`, depth + 1, true)]);
  return updated;
}

/** The commands for `value`, or [] after recording issues (the walker throws them all at the end). */
export async function toX2ManyCommands(meta: FieldMeta, value: unknown, mode: WriteMode, path: string, depth: number, writer: NestedWriter): Promise<OdooCommand[]> {
  if (value === null || Array.isArray(value)) return commandsFor(meta, 'set', value ?? [], path, depth, writer);
  if (!isPlainObject(value)) throw new InvalidValue('expected a list of ids or an object of commands (set, add, remove, create, update, delete)');
  const unknown = Object.keys(value).filter((key) => !(COMMAND_KEYS as readonly string[]).includes(key));
  if (unknown.length) throw new InvalidValue(`unknown command ${unknown.map((k) => JSON.stringify(k)).join(', ')}; use set, add, remove, create, update, delete`);
  if (mode === 'replace' && Object.keys(value).some((key) => !REPLACE_KEYS.has(key))) {
    throw new InvalidValue('PUT replaces the whole list: give ids, or {"set": [...], "create": [...]}; use PATCH for add, remove, update and delete');
  }
  const commands: OdooCommand[] = [];
  for (const key of COMMAND_KEYS) {
    if (!(key in value)) continue;
    const keyPath = `${path}.${key}`;
    try {
      commands.push(...(await commandsFor(meta, key, value[key], keyPath, depth, writer)));
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      writer.issue(keyPath, error);
    }
  }
  return commands;
}
