/**
 * Field rules made effective over a model's real fields (D-S3): a blocked
 * field also blocks every field computed or related from it, found through
 * the ORM's dependency graph (`FieldMeta.depends`), so `email_normalized`
 * and `email_formatted` go with a blocked `email`. Pure; memoized per grant
 * and field set, both of which are replaced (not changed) on reload.
 */
import type { FieldRules, ModelFields, ModelGrant } from './types.js';

const memo = new WeakMap<ModelGrant, WeakMap<ModelFields, ModelGrant>>();

/** Whether a dependency path reaches a blocked field: its first segment here, or its second on the related model. */
function reachesBlocked(path: string, grant: ModelGrant, blocked: ReadonlySet<string>, fields: ModelFields, grants: ReadonlyMap<string, ModelGrant>): boolean {
  const [first, second] = path.split('.');
  if (first === undefined || blocked.has(first)) return first !== undefined;
  if (second === undefined) return false;
  const relation = fields.get(first)?.relation;
  if (!relation) return false;
  if (relation === grant.model) return blocked.has(second);
  return grants.get(relation)?.fields.blocked.has(second) ?? false;
}

function closeBlocked(grant: ModelGrant, fields: ModelFields, grants: ReadonlyMap<string, ModelGrant>): Set<string> {
  const blocked = new Set(grant.fields.blocked);
  for (let grew = true; grew; ) {
    grew = false;
    for (const meta of fields.values()) {
      if (meta.name === 'id' || blocked.has(meta.name) || !meta.depends?.length) continue;
      if (meta.depends.some((path) => reachesBlocked(path, grant, blocked, fields, grants))) {
        blocked.add(meta.name);
        grew = true;
      }
    }
  }
  return blocked;
}

/**
 * `grant` with its blocklist closed over `fields`' dependencies; the same
 * object when nothing is added. `grants`: the credential's other grants,
 * whose blocklists reach through related paths (`partner_id.email`).
 */
export function effectiveGrant(grant: ModelGrant, fields: ModelFields, grants: ReadonlyMap<string, ModelGrant>): ModelGrant {
  let byFields = memo.get(grant);
  const known = byFields?.get(fields);
  if (known) return known;
  const blocked = closeBlocked(grant, fields, grants);
  const effective: ModelGrant =
    blocked.size === grant.fields.blocked.size ? grant : { ...grant, fields: { allowed: grant.fields.allowed, blocked } satisfies FieldRules };
  if (!byFields) memo.set(grant, (byFields = new WeakMap()));
  byFields.set(fields, effective);
  return effective;
}
