/**
 * Encryption of recoverable secrets at rest (partner secrets, app-token values, consumer secrets)
 * with AES-256-GCM under the server master key (DESIGN.md, "Secrets and crypto").
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const PREFIX = 'v1.';
const IV_LEN = 12;
const TAG_LEN = 16;
const KEY_LEN = 32;

/**
 * Seals and opens secrets. The `context` (e.g. `partner:12345:admin_secret`) is bound in as
 * additional authenticated data, so a ciphertext copied into another row or column does not open.
 */
export class SecretBox {
  readonly #key: KeyObject;

  /** @param masterKey exactly 32 bytes; copied, so later changes to the buffer have no effect. */
  constructor(masterKey: Buffer) {
    if (masterKey.length !== KEY_LEN) throw new Error(`SecretBox: master key must be ${KEY_LEN} bytes, got ${masterKey.length}`);
    this.#key = createSecretKey(Buffer.from(masterKey));
  }

  /** Encrypts `plaintext` for `context`. Output: `v1.` + base64url(iv ‖ tag ‖ ciphertext). */
  seal(plaintext: string, context: string): string {
    // A fresh random 96-bit IV per message; GCM is only safe while (key, IV) pairs never repeat,
    // and at secret-storage volumes random IVs stay far below the collision bound.
    const iv = randomBytes(IV_LEN);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_LEN });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /**
   * Decrypts a value made by {@link seal} for the same `context`. Throws a plain Error, without
   * detail, when the value was altered, sealed for another context or under another key.
   */
  open(sealed: string, context: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('SecretBox: unknown sealed format');
    const text = sealed.slice(PREFIX.length);
    const raw = Buffer.from(text, 'base64url');
    // Node's decoder skips junk characters; re-encoding catches any that were present.
    if (raw.length < IV_LEN + TAG_LEN || raw.toString('base64url') !== text) throw new Error('SecretBox: malformed sealed value');
    try {
      // authTagLength pins the tag size, so a truncated tag is refused instead of weakening the check.
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_LEN), { authTagLength: TAG_LEN });
      decipher.setAuthTag(raw.subarray(IV_LEN, IV_LEN + TAG_LEN));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      return Buffer.concat([decipher.update(raw.subarray(IV_LEN + TAG_LEN)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('SecretBox: cannot open sealed value (tampered, wrong key or wrong context)');
    }
  }
}

/**
 * Parses a master key given as 64 hex characters or as base64 / base64url of exactly 32 bytes
 * (surrounding whitespace ignored). Throws an Error naming the accepted forms; the key itself is
 * never echoed.
 */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const key = Buffer.from(t, 'base64');
    // Re-encoding must give back the input, otherwise the text held stray padding or bits.
    const canonical = key.toString('base64').replace(/=+$/, '');
    const given = t.replace(/=+$/, '').replaceAll('-', '+').replaceAll('_', '/');
    if (key.length === KEY_LEN && canonical === given) return key;
  }
  throw new Error('master key must be 64 hex characters or base64/base64url encoding exactly 32 bytes');
}

/** A new master key: base64 of 32 random bytes. */
export function generateMasterKey(): string {
  return randomBytes(KEY_LEN).toString('base64');
}
