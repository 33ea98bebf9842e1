/**
 * The API-key pepper: 32 random bytes generated once per installation and kept in the database,
 * sealed with the master key. A copy of the database alone therefore cannot test guessed keys
 * against the stored HMACs; the master key is needed as well. Generated rather than derived from
 * the master key so that it is one value shared by every node, whatever form the master key was
 * configured in. Losing the master key (or the row) invalidates every API key.
 */
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import type { SystemStateRepo } from '../ports.js';

const STATE_KEY = 'api_key_pepper';
const CONTEXT = 'system_state:api_key_pepper';

export async function loadApiKeyPepper(system: SystemStateRepo, box: SecretBox): Promise<Buffer> {
  // setIfAbsent: when several nodes start together, exactly one value wins and all read it back.
  await system.setIfAbsent(STATE_KEY, box.seal(randomBytes(32).toString('base64'), CONTEXT));
  const sealed = await system.get(STATE_KEY);
  if (!sealed) throw new Error('api key pepper: missing after creation');
  const pepper = Buffer.from(box.open(sealed, CONTEXT), 'base64');
  if (pepper.length !== 32) throw new Error('api key pepper: stored value has the wrong length');
  return pepper;
}
