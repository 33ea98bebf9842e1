import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyStart, generateApiKey, hashApiKey, isWellFormedApiKey } from '../../src/core/api-keys/format.js';
import { expandPermissionRefs, KALA_PERMISSIONS, permissionByName } from '../../src/core/permissions/catalogue.js';

describe('API key format', () => {
  it('is gh_ + 43 base62 characters, never repeating', () => {
    const keys = Array.from({ length: 500 }, generateApiKey);
    for (const k of keys) expect(isWellFormedApiKey(k)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(apiKeyStart(keys[0]!)).toBe(keys[0]!.slice(0, 9));
  });

  it('rejects anything else before hashing', () => {
    for (const bad of ['', 'gh_', `gh_${'a'.repeat(42)}`, `gh_${'a'.repeat(44)}`, `GH_${'a'.repeat(43)}`, `gh_${'a'.repeat(42)}-`, `xx_${'a'.repeat(43)}`]) expect(isWellFormedApiKey(bad)).toBe(false);
  });

  it('hashes with the pepper: same key, other pepper, other hash', () => {
    const key = generateApiKey();
    const p1 = randomBytes(32);
    expect(hashApiKey(p1, key)).toBe(hashApiKey(p1, key));
    expect(hashApiKey(p1, key)).not.toBe(hashApiKey(randomBytes(32), key));
    expect(hashApiKey(p1, key)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('Kala permissions', () => {
  it('map only onto catalogue names', () => {
    for (const k of KALA_PERMISSIONS) for (const n of k.includes) expect(permissionByName(n), n).toBeDefined();
  });

  it('expand UUIDs (any case) and names, dedupe, and report unknowns', () => {
    expect(expandPermissionRefs(['01968C91-8789-7288-A337-F0E398711AAC', 'ADMIN_BASE', 'NOPE'])).toEqual({
      names: ['ADMIN_BASE', 'ADMIN_USER_ADD', 'ADMIN_USER_UPDATE', 'ADMIN_USER_DELETE'],
      unknown: ['NOPE'],
    });
  });
});
