/**
 * OAuth scope strings (RFC 6749 §3.3: space-delimited, case-sensitive):
 * `res.partner` grants what the client's scope on that model allows,
 * `res.partner:read` only that operation. A token's grants are the
 * client's current grants narrowed by the scope it was issued with.
 */
import type { OperationToggles } from '../db/gateway-config.js';
import type { ModelGrant, Operation } from '../policy/types.js';

const OPERATIONS: readonly Operation[] = ['read', 'create', 'update', 'delete', 'archive', 'restore'];
// RFC 6749 §3.3 scope-token characters; we further require model[:operation]
const TOKEN = /^([a-z0-9_]+(?:\.[a-z0-9_]+)*)(?::([a-z]+))?$/;

export interface ScopeItem {
  model: string;
  operation: Operation | null;
}

/** Parses a scope string; null when a token is malformed or names an unknown operation. */
export function parseScope(text: string): ScopeItem[] | null {
  const items: ScopeItem[] = [];
  for (const token of text.split(' ').filter(Boolean)) {
    const match = TOKEN.exec(token);
    const operation = match?.[2];
    if (!match || (operation !== undefined && !OPERATIONS.includes(operation as Operation))) return null;
    items.push({ model: match[1] as string, operation: (operation as Operation | undefined) ?? null });
  }
  return items;
}

export function formatScope(items: readonly ScopeItem[]): string {
  return items.map((i) => (i.operation ? `${i.model}:${i.operation}` : i.model)).join(' ');
}

/** The scope tokens that ask for more than the grants give (empty: all requestable). */
export function unrequestable(grants: ReadonlyMap<string, ModelGrant>, items: readonly ScopeItem[]): string[] {
  return items
    .filter((i) => {
      const grant = grants.get(i.model);
      return !grant || (i.operation !== null && !grant.operations[i.operation]);
    })
    .map((i) => (i.operation ? `${i.model}:${i.operation}` : i.model));
}

/** The scope a token gets when the client asks for none: every model it is granted. */
export function defaultScope(grants: ReadonlyMap<string, ModelGrant>): ScopeItem[] {
  return [...grants.keys()].sort().map((model) => ({ model, operation: null }));
}

/** The client's grants narrowed to a token's scope. */
export function narrowGrants(grants: ReadonlyMap<string, ModelGrant>, items: readonly ScopeItem[]): Map<string, ModelGrant> {
  const narrowed = new Map<string, ModelGrant>();
  const byModel = new Map<string, Set<Operation> | 'all'>();
  for (const item of items) {
    const current = byModel.get(item.model);
    if (item.operation === null || current === 'all') byModel.set(item.model, 'all');
    else byModel.set(item.model, new Set([...(current ?? []), item.operation]));
  }
  for (const [model, wanted] of byModel) {
    const grant = grants.get(model);
    if (!grant) continue;
    if (wanted === 'all') {
      narrowed.set(model, grant);
      continue;
    }
    const operations = Object.fromEntries(OPERATIONS.map((op) => [op, grant.operations[op] && wanted.has(op)])) as unknown as OperationToggles;
    narrowed.set(model, { ...grant, operations });
  }
  return narrowed;
}
