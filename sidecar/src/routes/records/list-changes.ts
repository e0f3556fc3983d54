/**
 * GET /{model}/changes?since=CURSOR: records created or updated and ids
 * deleted since the cursor, one page of captured changes at a time
 * (docs/decisions.md D-C2, D-C3, D-S50; the rows come from the addon's
 * triggers). It takes no filter or sort: undeclared, they answer 400.
 */
import { readChangeHorizon, readChangeSlice } from '../../db/changes.js';
import { errors } from '../../errors.js';
import { encodeCursor, isExpired, transactionStart } from '../../feed/cursor.js';
import { foldChanges, pageOf } from '../../feed/fold.js';
import { parseFeedLimit, parseSince } from '../../feed/params.js';
import { modelResolver } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { expandShape, parseExpand } from '../../query/expand.js';
import { parseFields } from '../../query/fields.js';
import type { RawQuery } from '../../query/params.js';
import { toApiRecord } from '../../values/record-values.js';
import { readChangedRecords } from './changed-records.js';
import { feedDeletions } from './feed-deletions.js';
import { parseValueOptions } from './value-options.js';
import { CHANGES_PARAMS } from '../../query/query-parameters.js';

const EXPIRED = 'This cursor is older than the change feed retention; changes after it were purged. '
  + 'Resync: list the records, then follow the feed from a fresh cursor (call it without "since").';

export const listChanges: RouteDefinition = {
  method: 'get',
  path: '/:model/changes',
  operationId: 'listChanges',
  summary: 'Change feed: records created, updated or deleted since a cursor',
  tags: ['Records'],
  authenticated: true,
  query: CHANGES_PARAMS,
  async handler(ctx, services) {
    const query = ctx.query as RawQuery;
    const resolve = modelResolver(ctx, services);
    const context = await resolve(ctx.params.model as string, 'read');
    const since = parseSince(query);
    const limit = parseFeedLimit(query, context.grant);
    const fields = parseFields(query, context);
    const values = parseValueOptions(query);
    const expand = await parseExpand(query, context, resolve);
    if (since.kind === 'now') {
      const next = encodeCursor(transactionStart(await readChangeHorizon(services.db)));
      ctx.body = { data: { changed: [], deleted: [] }, meta: { next_cursor: next, has_more: false } };
      return;
    }

    const after = since.kind === 'after' ? since.position : transactionStart(0n);
    const slice = await readChangeSlice(services.db, context.grant.model, after, limit + 1);
    if (since.kind === 'after' && isExpired(after, slice.purgedTxid)) throw errors.gone('cursor_expired', EXPIRED);
    const page = pageOf(slice.rows, limit, after, slice.horizon);
    const { changedIds, deletedIds } = foldChanges(page.rows);
    const visible = await readChangedRecords(ctx, services, context, { ids: changedIds, fields, expand });
    const shape = expandShape(context.fields, expand);
    const servedIds = changedIds.filter((id) => visible.has(id));
    // gone for this caller: deleted since, or now outside its domains or record rules
    const gone = [...deletedIds, ...changedIds.filter((id) => !visible.has(id))];
    ctx.body = {
      data: {
        changed: servedIds.map((id) => toApiRecord(visible.get(id) as Record<string, unknown>, shape, values)),
        deleted: await feedDeletions(ctx, services, context.grant, servedIds, gone),
      },
      meta: { next_cursor: encodeCursor(page.next), has_more: page.hasMore },
    };
  },
};
