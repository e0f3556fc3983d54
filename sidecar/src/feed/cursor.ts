/**
 * Change feed cursors: a position (txid, id) in the order the feed serves
 * captured changes, opaque to clients (base64url of "1.<txid>.<id>"), and
 * how positions compare and expire (docs/decisions.md D-C2).
 */

/** The (txid, id) of a change row; the feed is ordered by it. Both are bigint columns. */
export interface FeedPosition {
  txid: bigint;
  id: bigint;
}

const VERSION = '1';
const MAX_BIGINT = (1n << 63n) - 1n;
const CURSOR_TEXT = /^1\.(0|[1-9]\d{0,18})\.(0|[1-9]\d{0,18})$/;

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${VERSION}.${position.txid}.${position.id}`, 'utf8').toString('base64url');
}

/** The position of a cursor this feed issued, or null for anything else. */
export function decodeCursor(raw: string): FeedPosition | null {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(raw)) return null;
  const match = CURSOR_TEXT.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match) return null;
  const position = { txid: BigInt(match[1] as string), id: BigInt(match[2] as string) };
  if (position.txid > MAX_BIGINT || position.id > MAX_BIGINT) return null;
  // Only the canonical spelling: base64url has several encodings of some strings.
  return encodeCursor(position) === raw ? position : null;
}

export function comparePositions(a: FeedPosition, b: FeedPosition): number {
  if (a.txid !== b.txid) return a.txid < b.txid ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

export function laterPosition(a: FeedPosition, b: FeedPosition): FeedPosition {
  return comparePositions(a, b) >= 0 ? a : b;
}

/** The position before every change of transaction `txid` and after those of older ones. */
export function transactionStart(txid: bigint): FeedPosition {
  return { txid, id: 0n };
}

/**
 * A cursor at or below the purge horizon (the highest txid purged) may have
 * missed purged changes: the client must resync.
 */
export function isExpired(position: FeedPosition, purgedTxid: bigint): boolean {
  return purgedTxid > 0n && position.txid <= purgedTxid;
}
