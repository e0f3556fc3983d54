/**
 * Which deleted ids a change feed page may name to its caller
 * (docs/decisions.md D-S50): an id the caller could never see is never
 * listed. A caller that sees every record of the model gets every
 * tombstone; any other only the ids the feed served it before.
 */
import type { ModelGrant, Principal } from '../policy/types.js';

/**
 * Whose view of the records a feed follows: keys and OAuth clients have
 * their own scopes; sessions and Basic with a password carry the user's
 * grants, the same for every session of that user.
 */
export function feedViewer(principal: Pick<Principal, 'kind' | 'credentialId' | 'user'>): string {
  if (principal.kind === 'api_key') return `key:${principal.credentialId}`;
  if (principal.kind === 'oauth') return `oauth:${principal.credentialId}`;
  return `user:${principal.user.id}`;
}

/** No domain narrows the grant and no record rule narrows the model: every record is the caller's to see. */
export function seesEveryRecord(grant: Pick<ModelGrant, 'domains'>, modelHasReadRules: boolean): boolean {
  return !modelHasReadRules && grant.domains.every((domain) => domain.length === 0);
}

/**
 * `gone`: ids deleted in the page, or changed but not visible now. Listed
 * when the caller sees every record, else only those served to it before
 * (`served`), in the order given.
 */
export function reportableDeletions(gone: readonly number[], seesEvery: boolean, served: ReadonlySet<number>): number[] {
  return seesEvery ? [...gone] : gone.filter((id) => served.has(id));
}
