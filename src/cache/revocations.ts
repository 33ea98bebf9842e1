/**
 * Invalidated sessions. Validating a KS reads only this in-memory set; the database is the shared
 * truth, and every node polls it for rows written since its last look, so a `session.end` on one
 * node stops the KS on all of them within one poll interval.
 */
import { LOG_START, type LogCursor } from '../core/log-cursor.js';
import type { RevocationList, SessionStateRepo } from '../services/ports.js';

export class SyncedRevocationList implements RevocationList {
  private readonly hashes = new Map<string, number>();
  private cursor: LogCursor = LOG_START;

  constructor(private readonly repo: SessionStateRepo, private readonly nowSec: () => number) {}

  isRevoked(hash: string, nowSec: number): boolean {
    const exp = this.hashes.get(hash);
    return exp !== undefined && exp > nowSec;
  }

  async revoke(hash: string, expiresAt: number): Promise<void> {
    // Write first: a revocation that only lived in memory would be lost on restart.
    await this.repo.revoke(hash, expiresAt, this.nowSec());
    this.remember(hash, expiresAt);
  }

  /** Pulls revocations written by any node since the last call. */
  async sync(): Promise<void> {
    const now = this.nowSec();
    for (;;) {
      const { cursor, hashes } = await this.repo.revokedSince(this.cursor, now);
      const moved = cursor.last !== this.cursor.last;
      this.cursor = cursor;
      for (const h of hashes) this.remember(h.hash, h.expiresAt);
      if (!moved || hashes.length < 10000) break;
    }
  }

  /** Drops expired entries so memory stays bounded by the live revocations. */
  prune(): void {
    const now = this.nowSec();
    for (const [h, exp] of this.hashes) if (exp <= now) this.hashes.delete(h);
  }

  private remember(hash: string, expiresAt: number): void {
    const prev = this.hashes.get(hash);
    if (prev === undefined || prev < expiresAt) this.hashes.set(hash, expiresAt);
  }

  get size(): number {
    return this.hashes.size;
  }
}
