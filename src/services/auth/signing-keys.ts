/**
 * The access-token key ring. One ES256 key signs for `rotation` seconds; the next one is created
 * and published in the JWKS a day (at most half a rotation) before it takes over, so verifiers
 * that cache the JWKS know it before the first token signed with it arrives. A retired key stays
 * in the JWKS for one token lifetime (plus clock skew), so every token it signed keeps verifying.
 * Keys live in the database (private halves sealed) and are shared by every node.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { generateSigningKey, importSigningJwk, publicMembers, type PublicJwk } from '../../core/jwt/keys.js';
import type { SigningMaterial, VerifyKey } from '../../core/jwt/access-token.js';
import type { SigningKey } from '../model.js';
import type { ChangeFeed, SigningKeyRepo } from '../ports.js';

/** The change-feed topic: a node that creates a key tells the others to reload. */
export const SIGNING_KEY_TOPIC = 'signingKey';
const SKEW = 60;
const PREPUBLISH = 86400;
/** Reload anyway this often (ms), in case a change was missed. */
const RELOAD_MS = 60_000;
/** An unknown `kid` triggers at most one reload per this many ms, so junk tokens cannot hammer the database. */
const MISS_RELOAD_MS = 5_000;

export interface KeyRingDeps {
  keys: SigningKeyRepo;
  changes: ChangeFeed;
  clock: Clock;
  /** Seconds one key signs. */
  rotation: number;
  /** Access-token lifetime in seconds (how long a retired key must still verify). */
  tokenTtl: number;
}

interface LoadedKey {
  record: SigningKey;
  verify: VerifyKey;
  sign: VerifyKey;
}

export class SigningKeyRing {
  private keys: LoadedKey[] = [];
  private loadedAtMs = -Infinity;
  private stale = true;
  private lastMissReloadMs = -Infinity;
  private loading: Promise<void> | undefined;
  private rotating: Promise<void> | undefined;

  constructor(private readonly d: KeyRingDeps) {}

  /** The key to sign with now, creating (and pre-publishing) keys as the rotation requires. */
  async signer(): Promise<SigningMaterial> {
    await this.fresh();
    let current = this.current();
    if (!current || !this.next(current)) {
      this.rotating ??= this.rotate().finally(() => (this.rotating = undefined));
      await this.rotating;
      current = this.current();
    }
    if (!current) throw new Error('signing key ring: no active key after rotation');
    return { kid: current.record.kid, key: current.sign };
  }

  /** The verification key for `kid` while it may still verify; only our own keys, never a token's. */
  async verifier(kid: string): Promise<VerifyKey | undefined> {
    await this.fresh();
    let k = this.find(kid);
    if (!k && Date.now() - this.lastMissReloadMs > MISS_RELOAD_MS) {
      // Another node may have just created it.
      this.lastMissReloadMs = Date.now();
      this.stale = true;
      await this.fresh();
      k = this.find(kid);
    }
    return k?.verify;
  }

  /** Public keys for the JWKS: upcoming, current, and retired ones still within their grace. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    await this.fresh();
    const now = this.now();
    return { keys: this.keys.filter((k) => this.verifiable(k, now)).map((k) => publicMembers(k.record.publicJwk)) };
  }

  /** Applies a change seen on the change feed. */
  drop(topic: string): void {
    if (topic === SIGNING_KEY_TOPIC || topic === '*') this.stale = true;
  }

  private now(): number {
    return nowSeconds(this.d.clock);
  }

  private grace(): number {
    return this.d.tokenTtl + SKEW;
  }

  private verifiable(k: LoadedKey, now: number): boolean {
    return now < k.record.retiresAt + this.grace();
  }

  private find(kid: string): LoadedKey | undefined {
    const now = this.now();
    return this.keys.find((k) => k.record.kid === kid && this.verifiable(k, now));
  }

  /** The newest key whose signing window contains now. */
  private current(): LoadedKey | undefined {
    const now = this.now();
    let best: LoadedKey | undefined;
    for (const k of this.keys) {
      if (k.record.activatesAt <= now && now < k.record.retiresAt && (!best || k.record.activatesAt > best.record.activatesAt)) best = k;
    }
    return best;
  }

  /** The successor of `current`, or `true` when it is not yet time to create one. */
  private next(current: LoadedKey): LoadedKey | true | undefined {
    const lead = Math.min(PREPUBLISH, Math.floor(this.d.rotation / 2));
    if (this.now() < current.record.retiresAt - lead) return true;
    return this.keys.find((k) => k.record.activatesAt >= current.record.retiresAt);
  }

  private async rotate(): Promise<void> {
    const now = this.now();
    const current = this.current();
    const activatesAt = current ? current.record.retiresAt : now;
    const g = await generateSigningKey();
    const inserted = await this.d.keys.insert({
      kid: g.kid,
      alg: 'ES256',
      publicJwk: { ...g.publicJwk },
      privateJwk: { ...g.privateJwk },
      activatesAt,
      retiresAt: activatesAt + this.d.rotation,
      createdAt: now,
    });
    // Not inserted: another node created the key for this slot first; reloading picks up theirs.
    if (inserted) {
      await this.d.changes.publish(SIGNING_KEY_TOPIC, g.kid, now);
      await this.d.keys.purge(now - this.grace() - 86400);
    }
    this.stale = true;
    await this.fresh();
  }

  private async fresh(): Promise<void> {
    if (!this.stale && Date.now() - this.loadedAtMs < RELOAD_MS) return;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    await this.loading;
  }

  private async load(): Promise<void> {
    this.stale = false;
    const records = await this.d.keys.list(this.now() - this.grace());
    const known = new Map(this.keys.map((k) => [k.record.kid, k]));
    const loaded: LoadedKey[] = [];
    for (const record of records) {
      const have = known.get(record.kid);
      loaded.push(have ?? { record, verify: await importSigningJwk(record.publicJwk), sign: await importSigningJwk(record.privateJwk) });
    }
    this.keys = loaded;
    this.loadedAtMs = Date.now();
  }
}
