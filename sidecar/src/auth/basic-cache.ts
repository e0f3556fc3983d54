/**
 * Short-lived memory of verified Basic passwords, so Odoo's password hash
 * (PBKDF2, hundreds of thousands of rounds) is not recomputed per request.
 * Entries are keyed by HMAC(process-random key, login + ":" + password): neither
 * the password nor an unkeyed hash of it is ever held. Bounded, and each
 * entry remembers a fingerprint of the stored hash, so a password change
 * invalidates it on the next request.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface VerifiedPassword {
  userId: number;
  /** SHA-256 of Odoo's stored password hash when it was verified. */
  fingerprint: string;
}

interface Entry extends VerifiedPassword {
  expiresAt: number;
}

export class BasicVerificationCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  digest(login: string, password: string): string {
    // length-prefixed, so no two (login, password) pairs share an input
    return createHmac('sha256', this.key).update(`${login.length}:${login}:${password}`, 'utf8').digest('hex');
  }

  get(digest: string, now = Date.now()): VerifiedPassword | null {
    const entry = this.entries.get(digest);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(digest);
      return null;
    }
    return { userId: entry.userId, fingerprint: entry.fingerprint };
  }

  set(digest: string, value: VerifiedPassword, now = Date.now()): void {
    this.entries.delete(digest);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(digest, { ...value, expiresAt: now + this.ttlMs });
  }

  delete(digest: string): void {
    this.entries.delete(digest);
  }

  /** Forgets every entry of a user (their password changed). */
  forgetUser(userId: number): void {
    for (const [digest, entry] of this.entries) if (entry.userId === userId) this.entries.delete(digest);
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
