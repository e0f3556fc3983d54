/**
 * Short-lived memory of verified Basic passwords, so Odoo's password hash
 * (PBKDF2, hundreds of thousands of rounds) is not recomputed per request.
 * Entries are keyed by HMAC(process-random key, login + ":" + password): neither
 * the password nor an unkeyed hash of it is ever held. Bounded and expiring
 * (an LRU cache with a TTL), and each entry remembers a fingerprint of the
 * stored hash, so a password change invalidates it on the next request.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface VerifiedPassword {
  userId: number;
  /** SHA-256 of Odoo's stored password hash when it was verified. */
  fingerprint: string;
}

/** Milliseconds on a monotonic clock (tests pass their own). */
export interface Clock {
  now(): number;
}

export class BasicVerificationCache {
  private readonly key = randomBytes(32);
  private readonly entries: LRUCache<string, VerifiedPassword>;
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(ttlMs = 60_000, maxEntries = 10_000, clock: Clock = performance) {
    this.entries = new LRUCache({ max: maxEntries, ttl: ttlMs, ttlAutopurge: false, ttlResolution: 0, perf: clock });
  }

  digest(login: string, password: string): string {
    // length-prefixed, so no two (login, password) pairs share an input
    return createHmac('sha256', this.key).update(`${login.length}:${login}:${password}`, 'utf8').digest('hex');
  }

  get(digest: string): VerifiedPassword | null {
    const entry = this.entries.get(digest);
    return entry ? { ...entry } : null;
  }

  set(digest: string, value: VerifiedPassword): void {
    this.entries.set(digest, { userId: value.userId, fingerprint: value.fingerprint });
  }

  delete(digest: string): void {
    this.entries.delete(digest);
  }

  /** Forgets every entry of a user (their password changed). */
  forgetUser(userId: number): void {
    for (const [digest, entry] of this.entries.entries()) if (entry.userId === userId) this.entries.delete(digest);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Concurrent verifications of the same credential share one Odoo call. */
  once<T>(digest: string, work: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(digest) as Promise<T> | undefined;
    if (running) return running;
    const started = work().finally(() => this.inflight.delete(digest));
    this.inflight.set(digest, started);
    return started;
  }
}
