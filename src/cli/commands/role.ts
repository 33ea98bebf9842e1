/** `gatehouse role find <name>`: role ids by (part of) their name — the seed's getroleid.py. */
import type { Command } from 'commander';
import { adminClient } from '../client/connect.js';
import { listAll, type KalturaClient } from '../client/http.js';
import { UsageError } from '../errors.js';
import { formatTable } from '../output.js';
import { clientCommand, makeCtx, type CliDeps, type CommonOptions } from './common.js';

/** The fields of KalturaUserRole the CLI shows. */
export interface RoleRow {
  id: number;
  name: string;
  systemName: string;
  partnerId: number;
}

interface KalturaUserRole {
  id: number;
  name?: string;
  systemName?: string;
  partnerId: number;
}

/**
 * Every role the partner can use (its own and the global ones). userRole.list has no `nameLike`
 * filter (protocol §4.5), so matching by part of a name happens here, over the full list.
 */
export async function listRoles(client: KalturaClient): Promise<RoleRow[]> {
  const roles = await listAll<KalturaUserRole>(client, 'userRole', { objectType: 'KalturaUserRoleFilter', orderBy: '+id' });
  return roles.map((r) => ({ id: Number(r.id), name: r.name ?? '', systemName: r.systemName ?? '', partnerId: Number(r.partnerId) }));
}

/**
 * The id for `--role`: a number is taken as an id as is (the server checks it); otherwise the role
 * whose name, or failing that systemName, equals the text (case-insensitive). Two matches are an
 * error rather than a guess: a token's role decides what its sessions may do.
 */
export async function resolveRoleId(client: KalturaClient, nameOrId: string): Promise<number> {
  const text = nameOrId.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const roles = await listRoles(client);
  const lower = text.toLowerCase();
  let matches = roles.filter((r) => r.name.toLowerCase() === lower);
  if (matches.length === 0) matches = roles.filter((r) => r.systemName.toLowerCase() === lower);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new UsageError(`no role named "${text}" (see: gatehouse role find "${text}")`, 'ROLE_NOT_FOUND');
  throw new UsageError(`several roles are named "${text}" (ids ${matches.map((r) => r.id).join(', ')}); pass --role <id>`, 'ROLE_AMBIGUOUS');
}

export function registerRoleCommands(program: Command, deps: CliDeps): void {
  const role = program.command('role').description('look up user roles');
  clientCommand(role, 'find', 'roles whose name contains <name> (case-insensitive), with their ids')
    .argument('<name>', 'text to look for in role names')
    .action(async (name: string, opts: CommonOptions) => {
      const ctx = makeCtx(deps, opts);
      const client = await adminClient(ctx.conn, ctx.secrets);
      const needle = name.toLowerCase();
      const found = (await listRoles(client)).filter((r) => r.name.toLowerCase().includes(needle));
      ctx.print.result(found, () =>
        formatTable(found, [
          { header: 'id', value: (r) => r.id },
          { header: 'name', value: (r) => r.name },
          { header: 'systemName', value: (r) => r.systemName },
          { header: 'partnerId', value: (r) => r.partnerId },
        ]),
      );
      if (found.length === 0) ctx.print.note(`no role name contains "${name}"`);
    });
}
