/** links.self / next / prev of a list answer, keeping every other query parameter. */
import type { ApiContext } from '../../http/types.js';
import type { Page } from '../../query/pagination.js';

const PAGE_PARAMS = ['page', 'page_number', 'offset', 'skip', 'limit'];

function linkFor(ctx: ApiContext, limit: number, offset: number): string {
  const params = new URLSearchParams(ctx.querystring);
  for (const name of PAGE_PARAMS) params.delete(name);
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return `${ctx.protocol}://${ctx.host}${ctx.path}?${params.toString()}`;
}

export function pageLinks(ctx: ApiContext, page: Page, hasNext: boolean): Record<string, string | null> {
  return {
    self: linkFor(ctx, page.limit, page.offset),
    next: hasNext ? linkFor(ctx, page.limit, page.offset + page.limit) : null,
    prev: page.offset > 0 ? linkFor(ctx, page.limit, Math.max(0, page.offset - page.limit)) : null,
  };
}
