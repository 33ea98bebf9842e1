/**
 * `gatehouse import kong --partner <id> [--dry-run] [--json] <file>…`: brings a Kong set-up
 * (decK / kong.yml, Sunbird's kong_apis / kong_consumers lists) into a partner. Runs on the server
 * machine with the server's configuration, like `migrate`: it opens the database and the master
 * key itself (secrets are sealed exactly as the server seals them), writes in one transaction and
 * tells running servers through the change feed. Several files are one import (merged first).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { ImportSummary } from '../../wiring/kong-import-cli.js';
import { UsageError } from '../errors.js';
import type { CliDeps } from './common.js';

interface ImportOptions {
  partner: string;
  dryRun?: boolean;
  json?: boolean;
  config?: string;
}

/** Most lines of one kind printed before "… and N more" (--json has everything). */
const SHOWN = 30;

export function registerImportCommands(program: Command, deps: CliDeps): void {
  const imp = program.command('import').description('bring configuration from another gateway into a partner (server-side, with the server configuration)');
  imp
    .command('kong')
    .description("import Kong's declarative configuration (decK / kong.yml, JSON or YAML) or Sunbird's kong_apis / kong_consumers: services, consumers and their JWT credentials as they are; nothing re-issued, nothing deleted")
    .requiredOption('--partner <id>', 'the partner to import into')
    .option('--dry-run', 'print what would change and write nothing')
    .option('--json', 'print the summary as JSON')
    .option('--config <file>', 'JSON configuration file (same as GATEHOUSE_CONFIG_FILE)')
    .argument('<files...>', 'configuration files, merged into one import')
    .action(async (files: string[], o: ImportOptions) => {
      const partnerId = Number(o.partner);
      if (!/^\d+$/.test(o.partner) || !Number.isSafeInteger(partnerId) || partnerId <= 0) throw new UsageError(`--partner must be a partner id, not ${JSON.stringify(o.partner)}`);
      const { MAX_IMPORT_BYTES, ImportInputError } = await import('../../core/kong-import/index.js');
      const inputs: Array<{ name: string; text: string }> = [];
      for (const f of files) {
        const size = await stat(f).then((s) => (s.isFile() ? s.size : -1)).catch(() => -1);
        if (size < 0) throw new UsageError(`${f}: not a readable file`, 'FILE');
        if (size > MAX_IMPORT_BYTES) throw new UsageError(`${f}: larger than ${MAX_IMPORT_BYTES} bytes`, 'FILE');
        inputs.push({ name: path.basename(f), text: await readFile(f, 'utf8') });
      }
      const { importKongServerSide } = await import('../../wiring/kong-import-cli.js');
      let summary: ImportSummary | undefined;
      try {
        summary = await importKongServerSide({ configFile: o.config, partnerId, dryRun: o.dryRun === true, files: inputs, warn: (text) => deps.io.err(`gatehouse: ${text}\n`) });
      } catch (e) {
        if (e instanceof ImportInputError) throw new UsageError(e.message, 'BAD_FILE');
        throw e;
      }
      if (!summary) throw new UsageError(`partner ${partnerId} does not exist`, 'PARTNER_NOT_FOUND');
      deps.io.out(o.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, partnerId));
    });
}

/** The readable summary: counts per kind, what changes, and what is not imported grouped by reason. */
export function formatSummary(s: ImportSummary, partnerId: number): string {
  const lines = [s.dryRun ? `partner ${partnerId}: dry run, nothing written; the import would do:` : `partner ${partnerId}: imported`];
  for (const kind of ['service', 'consumer', 'credential'] as const) {
    const items = s.items.filter((i) => i.kind === kind);
    const n = (o: string) => items.filter((i) => i.outcome === o).length;
    lines.push(`  ${`${kind}s:`.padEnd(13)} ${n('created')} created, ${n('updated')} updated, ${n('unchanged')} unchanged, ${n('skipped')} skipped`);
  }
  const changed = s.items.filter((i) => i.outcome === 'updated' || i.outcome === 'skipped');
  if (changed.length) {
    lines.push('changes and refusals:');
    for (const i of changed.slice(0, SHOWN)) lines.push(`  ${i.outcome} ${i.kind} ${i.name}${i.changes ? ` (${i.changes.join(', ')})` : ''}${i.reason ? `: ${i.reason}` : ''}`);
    if (changed.length > SHOWN) lines.push(`  … and ${changed.length - SHOWN} more (--json lists all)`);
  }
  if (s.notImported.length) {
    const byReason = new Map<string, number>();
    for (const n of s.notImported) {
      const key = `${n.kind} ${n.name}: ${n.reason}`;
      byReason.set(key, (byReason.get(key) ?? 0) + 1);
    }
    lines.push(`not imported (${s.notImported.length}):`);
    const groups = [...byReason].sort((a, b) => b[1] - a[1]);
    for (const [what, count] of groups.slice(0, SHOWN)) lines.push(`  ${count > 1 ? `${count} × ` : ''}${what}`);
    if (groups.length > SHOWN) lines.push(`  … and ${groups.length - SHOWN} more kinds (--json lists all)`);
  }
  return `${lines.join('\n')}\n`;
}
