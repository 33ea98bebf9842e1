/**
 * The master key that seals recoverable secrets. From GATEHOUSE_MASTER_KEY (64 hex chars, base64 of
 * 32 bytes, or any passphrase of 32+ characters, stretched with HKDF), else from `master.key` in
 * the data directory, generated there on first start (mode 0600) with a loud warning.
 */
import { hkdfSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateMasterKey, parseMasterKey } from '../core/crypto/secret-box.js';

export interface MasterKey {
  key: Buffer;
  source: 'env' | 'file' | 'generated';
  file?: string;
}

export function resolveMasterKey(configured: string | undefined, dataDir: string): MasterKey {
  if (configured) return { key: toKey(configured), source: 'env' };
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) return { key: toKey(readFileSync(file, 'utf8').trim()), source: 'file', file };
  mkdirSync(dataDir, { recursive: true });
  const text = generateMasterKey();
  // `wx`: never overwrite a key another process wrote a moment ago.
  try {
    writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    return { key: toKey(readFileSync(file, 'utf8').trim()), source: 'file', file };
  }
  return { key: toKey(text), source: 'generated', file };
}

function toKey(text: string): Buffer {
  try {
    return parseMasterKey(text);
  } catch {
    return Buffer.from(hkdfSync('sha256', Buffer.from(text, 'utf8'), Buffer.from('gatehouse/master-key/v1'), Buffer.alloc(0), 32));
  }
}
