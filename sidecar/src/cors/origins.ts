/**
 * Origin lists (a key's or client's allowed origins, the global CORS list):
 * `scheme://host[:port]` entries, compared case-insensitively (RFC 6454
 * §6.2 serializes the scheme and host in lowercase).
 */

export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** Parses a comma-, space- or newline-separated list of origins. */
export function parseOriginList(text: string | null | undefined): Set<string> {
  return new Set(
    (text ?? '')
      .split(/[\s,]+/)
      .map(normalizeOrigin)
      .filter(Boolean),
  );
}
