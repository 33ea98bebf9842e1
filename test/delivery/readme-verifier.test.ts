/** The README's gh_token verifier (an origin's code) accepts Gatehouse's tokens and nothing else. */
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deriveDeliveryTokenKey, signDeliveryToken } from '../../src/core/delivery/token.js';

function readmeVerifier(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const marker = readme.indexOf('<!-- gh_token verifier');
  const start = readme.indexOf('```js\n', marker);
  const end = readme.indexOf('\n```', start + 6);
  if (marker < 0 || start < 0 || end < 0) throw new Error('README has no gh_token verifier block');
  return readme.slice(start + 6, end);
}

describe('README gh_token verifier', () => {
  it('verifies a real token, refuses a tampered, expired or foreign one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-readme-'));
    try {
      const file = path.join(dir, 'verify.mjs');
      writeFileSync(file, readmeVerifier());
      const { verifyGhToken } = (await import(pathToFileURL(file).href)) as { verifyGhToken: (t: string, k: Buffer, now?: number) => Record<string, unknown> | null };
      const key = deriveDeliveryTokenKey(Buffer.alloc(32, 1));
      const token = signDeliveryToken(key, { partnerId: 100, entryId: '0_abc', context: 'play', expiresAt: 1_800_000_060, ip: '203.0.113.7', previewSeconds: 30 });
      expect(verifyGhToken(token, key, 1_800_000_000)).toEqual({ v: 1, pid: 100, eid: '0_abc', ctx: 'play', exp: 1_800_000_060, ip: '203.0.113.7', pv: 30 });
      expect(verifyGhToken(token, key, 1_800_000_061)).toBeNull();
      expect(verifyGhToken(token, deriveDeliveryTokenKey(Buffer.alloc(32, 2)), 0)).toBeNull();
      const [payload, sig] = token.split('.') as [string, string];
      const other = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('0_abc', '0_xyz')).toString('base64url');
      expect(verifyGhToken(`${other}.${sig}`, key, 0)).toBeNull();
      for (const junk of ['', 'a', 'a.b.c', `${payload}.`]) expect(verifyGhToken(junk, key, 0)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
