/**
 * The `deleted` list of a change feed page and the record of what it
 * served: visible changed records are remembered for the caller, and gone
 * ids are listed by the rule of feed/tombstones.ts (docs/decisions.md D-S50).
 */
import { hasReadRules, readServedIds, recordServedIds } from '../../db/change-viewers.js';
import { requirePrincipal } from '../../http/request-services.js';
import type { ApiContext, Services } from '../../http/types.js';
import type { ModelGrant } from '../../policy/types.js';
import { feedViewer, reportableDeletions, seesEveryRecord } from '../../feed/tombstones.js';

export async function feedDeletions(ctx: ApiContext, services: Services, grant: ModelGrant, servedIds: number[], gone: number[]): Promise<number[]> {
  const viewer = feedViewer(requirePrincipal(ctx));
  // remembered before answering: a client that loses this answer re-reads
  // the page, and any later deletion of these records is then its to know
  await recordServedIds(services.db, viewer, grant.model, servedIds);
  if (gone.length === 0) return [];
  // a grant narrowed by a domain never sees every record: no need to ask about record rules
  const narrowed = grant.domains.some((domain) => domain.length > 0);
  const seesEvery = !narrowed && seesEveryRecord(grant, await hasReadRules(services.db, grant.model));
  const served = seesEvery ? new Set<number>() : await readServedIds(services.db, viewer, grant.model, gone);
  return reportableDeletions(gone, seesEvery, served);
}
