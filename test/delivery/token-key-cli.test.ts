/** `gatehouse delivery-token-key`: the origin's verification key is the server's derived token key. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveDeliveryTokenKey, signDeliveryToken, verifyDeliveryToken } from '../../src/core/delivery/token.js';
import { cliEnv, gatehouse } from '../support/cli.js';

describe('gatehouse delivery-token-key', () => {
  it('prints the base64url HKDF key that verifies tokens signed under the configured master key', async () => {
    const master = randomBytes(32);
    const r = await gatehouse(['delivery-token-key'], cliEnv({ GATEHOUSE_MASTER_KEY: master.toString('base64'), GATEHOUSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gh-cli-data-')) }));
    expect(r.code).toBe(0);
    const printed = Buffer.from(r.stdout.trim(), 'base64url');
    expect(printed).toEqual(deriveDeliveryTokenKey(master));
    const token = signDeliveryToken(deriveDeliveryTokenKey(master), { partnerId: 100, entryId: '0_abc', context: 'play', expiresAt: 2_000_000_000, ip: '203.0.113.7' });
    expect(verifyDeliveryToken(printed, token, 1_900_000_000).ok).toBe(true);
    expect(r.stdout).not.toContain(master.toString('base64'));
  });
});
