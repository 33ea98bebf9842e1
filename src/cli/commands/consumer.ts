/**
 * `gatehouse consumer key-pool add|list|retire --partner <id> <username> [kid]`: a consumer's
 * signing key pool (issue 19), whose keys sign the device tokens of
 * `POST /v2/consumer/{username}/credential/register`. Server-side like `import`: it opens the
 * configured database and master key itself (private keys are generated and sealed here, never
 * printed) and tells running servers through the change feed.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CliDeps } from './common.js';
import type { KeyPool, PoolKeyInfo } from '../../wiring/key-pool-cli.js';

interface PoolOptions {
  partner: string;
  json?: boolean;
  config?: string;
}

function partnerOf(o: PoolOptions): number {
  const id = Number(o.partner);
  if (!/^\d+$/.test(o.partner) || !Number.isSafeInteger(id) || id <= 0) throw new UsageError(`--partner must be a partner id, not ${JSON.stringify(o.partner)}`);
  return id;
}

const when = (sec: number | null) => (sec === null ? '-' : new Date(sec * 1000).toISOString());
const line = (k: PoolKeyInfo) => `${k.kid}\t${k.status}\t${k.algorithm}\tcreated ${when(k.createdAt)}\tretired ${when(k.retiredAt)}\tsha256 ${k.fingerprint}`;

export function registerConsumerCommands(program: Command, deps: CliDeps): void {
  const consumer = program.command('consumer').description('API consumers (server-side, with the server configuration)');
  const pool = consumer.command('key-pool').description("a consumer's RS256 signing keys for /v2/consumer/{username}/credential/register (kid = the key's credential key)");

  const run = async <T>(o: PoolOptions, fn: (p: KeyPool) => Promise<T>): Promise<T> => {
    const partnerId = partnerOf(o);
    const { withKeyPoolServerSide } = await import('../../wiring/key-pool-cli.js');
    const { isGatehouseError } = await import('../../core/errors/index.js');
    try {
      const out = await withKeyPoolServerSide({ configFile: o.config, partnerId, warn: (text) => deps.io.err(`gatehouse: ${text}\n`) }, fn);
      if (out === undefined) throw new UsageError(`partner ${partnerId} does not exist`, 'PARTNER_NOT_FOUND');
      return out;
    } catch (e) {
      // The catalogue's code and text (unknown consumer or kid, a kid already taken, a bad kid).
      if (isGatehouseError(e)) throw new UsageError(e.message, e.code);
      throw e;
    }
  };
  const common = (c: Command) => c.requiredOption('--partner <id>', "the consumer's partner").option('--json', 'print JSON').option('--config <file>', 'JSON configuration file (same as GATEHOUSE_CONFIG_FILE)');

  common(pool.command('add').description('generate a new RSA 2048 key, sealed under the master key; new registrations may pick it at once'))
    .argument('<username>')
    .argument('[kid]', 'the key id (default <username>_key_<8 hex>)')
    .action(async (username: string, kid: string | undefined, o: PoolOptions) => {
      const k = await run(o, (p) => p.add(partnerOf(o), username, kid));
      deps.io.out(o.json ? `${JSON.stringify(k)}\n` : `added ${line(k)}\n`);
    });

  common(pool.command('list').description('the pool keys, retired ones included (never a private key)'))
    .argument('<username>')
    .action(async (username: string, o: PoolOptions) => {
      const keys = await run(o, (p) => p.list(partnerOf(o), username));
      deps.io.out(o.json ? `${JSON.stringify(keys)}\n` : keys.length ? `${keys.map(line).join('\n')}\n` : `${username} has no pool keys\n`);
    });

  common(pool.command('retire').description('stop signing with a key and refuse every token it signed'))
    .argument('<username>')
    .argument('<kid>')
    .action(async (username: string, kid: string, o: PoolOptions) => {
      const k = await run(o, (p) => p.retire(partnerOf(o), username, kid));
      deps.io.out(o.json ? `${JSON.stringify(k)}\n` : `retired ${line(k)}\n`);
    });
}
