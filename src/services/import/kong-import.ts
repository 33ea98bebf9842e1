/**
 * Importing a Kong set-up into a partner (issue 19, "the operator moves in a day, nothing
 * re-issued"): the plan of core/kong-import compared with the partner's services and consumers
 * (./import-diff.ts), then applied in one transaction — or, in a dry run, only answered.
 * Idempotent: a second import of the same files finds everything unchanged. Credentials keep
 * their key, secret or public key and algorithm verbatim, stored through the consumer repository
 * like generated ones (secrets sealed under the master key, bound to their row), so every token
 * already issued keeps verifying. Nothing is deleted. Every write is audited, and the gateway's
 * caches hear of it through the change feed (services per partner, credentials per key).
 */
import { manyAsAll } from '../../cache/consumer-credentials.js';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { planImport, type ImportFile, type SkippedItem } from '../../core/kong-import/index.js';
import type { Auditor } from '../audit.js';
import type { ApiService } from '../model.js';
import type { ApiServiceRepo, ConsumerRepo, RouteChanges, UnitOfWork } from '../ports.js';
import { diffConsumers, diffServices, type ImportItem, type Outcome, type Write } from './import-diff.js';

export type { ImportItem, Outcome } from './import-diff.js';

export interface ImportSummary {
  dryRun: boolean;
  /** Items by outcome; `skipped` also counts what the files hold that is not imported. */
  counts: Record<Outcome, number>;
  items: ImportItem[];
  /** What the files hold that is not represented, each with its reason. */
  notImported: SkippedItem[];
}

export interface KongImportDeps {
  uow: UnitOfWork;
  consumers: ConsumerRepo;
  services: Pick<ApiServiceRepo, 'list'>;
  /** The route tables' one invalidation point (or, off the server, a publisher on the change feed). */
  routes: RouteChanges;
  /** The credential cache's one invalidation point (or, off the server, a publisher on the change feed). */
  credentials: { changed(keys: readonly string[]): Promise<void> };
  audit: Auditor;
  clock: Clock;
}

export interface ImportRequest {
  partnerId: number;
  /** Who imports, for the audit log: a user id, or `cli:import`. */
  actor: string;
  /** The caller's address ('' from the command line). */
  clientIp: string;
  dryRun: boolean;
  files: readonly ImportFile[];
}

const PAGE = 500;

export class KongImport {
  constructor(private readonly d: KongImportDeps) {}

  /** Throws ImportInputError (core/kong-import) for a file that cannot be read at all. */
  async run(req: ImportRequest): Promise<ImportSummary> {
    const plan = planImport(req.files);
    const now = nowSeconds(this.d.clock);
    const items: ImportItem[] = [];
    const writes: Write[] = [];
    diffServices(plan.services, await this.allServices(req.partnerId), req.partnerId, now, items, writes);
    await diffConsumers(
      plan.consumers,
      {
        consumer: async (username) => {
          const consumer = await this.d.consumers.byUsername(req.partnerId, username);
          return consumer && { consumer, credentials: await this.d.consumers.credentials(req.partnerId, consumer.id) };
        },
        credentialByKey: (key) => this.d.consumers.credentialByKey(key),
      },
      req.partnerId,
      now,
      items,
      writes,
    );
    const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, skipped: plan.skipped.length };
    for (const i of items) counts[i.outcome]++;
    const summary: ImportSummary = { dryRun: req.dryRun, counts, items, notImported: plan.skipped };
    if (!req.dryRun && writes.length) await this.apply(req, writes, now);
    await this.d.audit.record({
      partnerId: req.partnerId,
      actor: req.actor,
      action: req.dryRun ? 'import.kong.dryRun' : 'import.kong',
      target: String(req.partnerId),
      outcome: 'success',
      clientIp: req.clientIp,
      detail: { files: req.files.map((f) => f.name), ...counts },
    });
    return summary;
  }

  private async allServices(partnerId: number): Promise<ApiService[]> {
    const out: ApiService[] = [];
    for (let pageIndex = 1; ; pageIndex++) {
      const page = await this.d.services.list(partnerId, { pageSize: PAGE, pageIndex });
      out.push(...page.objects);
      if (page.objects.length < PAGE) return out;
    }
  }

  private async apply(req: ImportRequest, writes: readonly Write[], now: number): Promise<void> {
    await this.d.uow.transaction(async (r) => {
      for (const w of writes) {
        if (w.op === 'insertService') await r.apiServices.insert(w.service);
        else if (w.op === 'updateService') await r.apiServices.update(req.partnerId, w.id, { ...w.patch, updatedAt: now });
        else if (w.op === 'insertConsumer') await r.consumers.insert(w.consumer);
        else if (w.op === 'setGroups') await r.consumers.setGroups(req.partnerId, w.consumer.id, w.groups, now);
        else await r.consumers.insertCredential(w.credential);
      }
    });
    if (writes.some((w) => w.op === 'insertService' || w.op === 'updateService')) await this.d.routes.changed(req.partnerId);
    const keys = writes.flatMap((w) => (w.op === 'insertCredential' ? [w.credential.key] : w.op === 'setGroups' ? w.keys : []));
    // New groups for a device consumer touch every device's key: one "every credential" change then.
    if (keys.length) await this.d.credentials.changed(manyAsAll(keys));
    const audited = (action: string, target: string, detail: Record<string, unknown>) =>
      this.d.audit.record({ partnerId: req.partnerId, actor: req.actor, action, target, outcome: 'success', clientIp: req.clientIp, detail: { ...detail, via: 'import.kong' } });
    await Promise.all(
      writes.map((w) => {
        if (w.op === 'insertService') return audited('apiService.add', w.service.id, { name: w.service.name, routePrefix: w.service.routePrefix });
        if (w.op === 'updateService') return audited('apiService.update', w.id, { fields: Object.keys(w.patch) });
        if (w.op === 'insertConsumer') return audited('consumer.create', w.consumer.id, { username: w.consumer.username, groups: w.consumer.groups });
        if (w.op === 'setGroups') return audited('consumer.grant', w.consumer.id, { username: w.consumer.username, groups: w.groups });
        return audited('consumer.credential.register', w.credential.id, { username: w.username, key: w.credential.key, algorithm: w.credential.algorithm });
      }),
    );
  }
}
