import type { RegistryAuth, SwarmClient } from '../docker/client.js';
import type { ServiceSpec, SwarmObject, SwarmService } from '../docker/types.js';
import { changeLine, changes, type Change } from '../store/spec-edit.js';
import { inert } from '../ui/sanitize.js';
import { comparableSpec } from './canonical.js';
import { NAMESPACE, userDefined, type StackObject, type StackPlanInput } from './convert.js';

/**
 * The plan `docker stack deploy` never shows: per object create, update (with the changed
 * fields), unchanged, and with --prune remove; then applying exactly that plan: networks, then
 * secrets and configs, then services, each update at the version the plan read.
 */

/** One line of the plan. */
export interface PlanEntry {
  kind: 'network' | 'secret' | 'config' | 'service';
  name: string;
  action: 'create' | 'update' | 'unchanged' | 'remove' | 'external';
  changes?: Change[];
  /** For an update or removal: the object as the plan read it. */
  id?: string;
  version?: number;
  /** For a create or update: what is sent (network and secret names not yet resolved). */
  spec?: Record<string, any>;
  forceUpdate?: number;
  /** For a secret or config made from a file: the file its data is read from. */
  source?: string;
}

/** The plan, and what it needs to apply. */
export interface Plan {
  stack: string;
  entries: PlanEntry[];
}

const nameOf = (o: SwarmObject) => String(o.Name ?? (o.Spec as { Name?: string } | undefined)?.Name ?? '');

/** Reads the swarm and works out the plan for a converted stack. */
export async function planStack(client: SwarmClient, stack: string, wanted: StackPlanInput, prune: boolean): Promise<Plan> {
  const [networks, secrets, configs, services] = await Promise.all([
    client.listResources('networks'),
    client.listResources('secrets'),
    client.listResources('configs'),
    client.listLabelled('services', `${NAMESPACE}=${stack}`) as unknown as Promise<SwarmService[]>,
  ]);
  const entries: PlanEntry[] = [];
  const existing = { network: networks, secret: secrets, config: configs };
  const objectsPlan = (kind: 'network' | 'secret' | 'config', list: StackObject[]) => {
    for (const o of list) {
      const found = existing[kind].find((e) => nameOf(e) === o.name);
      if (o.external) {
        // The engine's own networks (bridge, host) are on every node, as the CLI takes them: not looked up.
        if (kind === 'network' && !userDefined(o.name)) {
          entries.push({ kind, name: o.name, action: 'external' });
          continue;
        }
        if (!found) throw new Error(`${kind} ${o.name} is declared as external, but could not be found: create it first (docker ${kind} create)`);
        entries.push({ kind, name: o.name, action: 'external' });
      } else if (!found) entries.push({ kind, name: o.name, action: 'create', spec: o.spec, source: o.source });
      else if (kind === 'config' && (found.Spec as { Data?: string }).Data !== o.spec.Data) {
        entries.push({
          kind,
          name: o.name,
          action: 'update',
          id: String(found.ID),
          changes: [{ path: 'Data', before: '(old data)', after: '(new data)' }],
          spec: o.spec,
          source: o.source,
        });
      } else entries.push({ kind, name: o.name, action: 'unchanged', id: String(found.ID), source: o.source });
    }
  };
  objectsPlan('network', wanted.networks);
  objectsPlan('secret', wanted.secrets);
  objectsPlan('config', wanted.configs);
  const networkNames = new Map(networks.map((n) => [String(n.Id ?? n.ID), nameOf(n)]));
  for (const spec of wanted.services) {
    const current = services.find((s) => s.Spec.Name === spec.Name);
    if (!current) {
      entries.push({ kind: 'service', name: spec.Name, action: 'create', spec });
      continue;
    }
    // An image the file names without a digest matches the same image pinned by a digest at the last deploy.
    const currentSpec = structuredClone(current.Spec) as any;
    const wantedImage = String(spec.TaskTemplate?.ContainerSpec?.Image ?? '');
    const currentImage = String(currentSpec.TaskTemplate?.ContainerSpec?.Image ?? '');
    if (!wantedImage.includes('@') && currentImage.startsWith(`${wantedImage}@`)) currentSpec.TaskTemplate.ContainerSpec.Image = wantedImage;
    // dockerd keeps `host` or `bridge` as the id of a swarm network that GET /networks does not list: an id not listed
    // stands for the one engine network the file names (a service has at most one: host excludes the others).
    const unlisted = ((currentSpec.TaskTemplate?.Networks ?? []) as { Target: string }[]).filter((n) => !networkNames.has(n.Target));
    const engineNets = ((spec.TaskTemplate?.Networks ?? []) as { Target: string }[]).filter((n) => !userDefined(n.Target));
    if (unlisted.length === 1 && engineNets.length === 1) unlisted[0].Target = engineNets[0].Target;
    const diff = changes(comparableSpec(currentSpec, networkNames) as object, comparableSpec(spec, networkNames) as object);
    entries.push({
      kind: 'service',
      name: spec.Name,
      action: diff.length > 0 ? 'update' : 'unchanged',
      changes: diff,
      id: current.ID,
      version: current.Version.Index,
      spec,
      forceUpdate: current.Spec.TaskTemplate?.ForceUpdate ?? 0,
    });
  }
  if (prune) {
    for (const s of services) {
      if (!wanted.services.some((w) => w.Name === s.Spec.Name)) entries.push({ kind: 'service', name: s.Spec.Name ?? s.ID, action: 'remove', id: s.ID });
    }
  }
  return { stack, entries };
}

/** The plan as text, a line per object, the changed fields under each update. */
export function planText(plan: Plan, mask: (path: string, value: unknown) => unknown = (_p, v) => v): string[] {
  const lines: string[] = [];
  for (const e of plan.entries) {
    // Names and values come from the file and the swarm: made inert, as everywhere they are shown.
    lines.push(inert(`${e.action.padEnd(9)} ${e.kind.padEnd(7)} ${e.name}${e.source ? `  (read from ${e.source})` : ''}`));
    for (const c of e.action === 'update' ? (e.changes ?? []) : []) {
      lines.push(inert(`            ${changeLine(c, mask)}`));
    }
  }
  const count = (a: PlanEntry['action']) => plan.entries.filter((e) => e.action === a).length;
  lines.push(
    `${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged${count('remove') ? `, ${count('remove')} to remove` : ''}`,
  );
  return lines;
}

/** A service changed between the plan and its update: nothing is forced over it; the caller plans again. */
export class PlanConflict extends Error {
  constructor(readonly service: string) {
    super(`${service} changed since the plan was made: nothing was forced over it; run the deploy again for a new plan`);
  }
}

/** How images are sent: pinned to the registry's digest (`always`, `changed`: the services created or updated; `never`), with credentials; an abort signal stops between two requests. */
export interface ApplyOptions {
  resolveImage?: 'always' | 'changed' | 'never';
  auth?: (image: string) => RegistryAuth | undefined;
  warn?: (line: string) => void;
  signal?: AbortSignal;
}

/** How far an apply got: each step done, in words, and the services among them. */
export interface ApplyProgress {
  done: string[];
  servicesDone: number;
  servicesTotal: number;
}

/** What was done, in a sentence: "nothing was changed" or "done before it: created network a, updated service b". */
export function doneText(progress: ApplyProgress): string {
  return progress.done.length === 0 ? 'nothing was changed before it' : `done before it: ${progress.done.join(', ')}`;
}

/** The Engine refused a step half-way: what was done before it is in `progress`; running the same deploy again continues from there. */
export class ApplyFailed extends Error {
  constructor(
    readonly step: string,
    readonly reason: Error,
    readonly progress: ApplyProgress,
  ) {
    super(`${step} failed: ${reason.message}; ${doneText(progress)}; nothing after it was sent. Running the same deploy again continues from there`);
  }
}

/** The apply stopped between two steps because it was asked to (SIGINT, SIGTERM). */
export class ApplyInterrupted extends Error {
  constructor(readonly progress: ApplyProgress) {
    super(`interrupted after ${progress.servicesDone} of ${progress.servicesTotal} services`);
  }
}

/** Applies the plan as it was shown: networks, secrets and configs, then services; an update at the version the plan read. */
export async function applyPlan(client: SwarmClient, plan: Plan, say: (line: string) => void, options: ApplyOptions = {}): Promise<void> {
  const order = { network: 0, secret: 1, config: 1, service: 2 };
  const work = [...plan.entries].sort((a, b) => order[a.kind] - order[b.kind]).filter((e) => e.action !== 'unchanged' && e.action !== 'external');
  const progress: ApplyProgress = { done: [], servicesDone: 0, servicesTotal: work.filter((e) => e.kind === 'service').length };
  for (const e of work) {
    if (options.signal?.aborted) throw new ApplyInterrupted(progress);
    const verb = e.action === 'create' ? 'creating' : e.action === 'update' ? 'updating' : 'removing';
    const step = `${verb} ${e.kind} ${e.name}`;
    try {
      await applyEntry(client, e, say, options);
    } catch (error) {
      if (error instanceof PlanConflict) throw error;
      throw new ApplyFailed(step, error as Error, progress);
    }
    progress.done.push(`${e.action === 'create' ? 'created' : e.action === 'update' ? 'updated' : 'removed'} ${e.kind} ${e.name}`);
    if (e.kind === 'service') progress.servicesDone++;
  }
}

/** One step of the plan. */
async function applyEntry(client: SwarmClient, e: PlanEntry, say: (line: string) => void, options: ApplyOptions): Promise<void> {
  if (e.kind === 'network' && e.action === 'create') {
    say(`Creating network ${e.name}`);
    await client.createNetwork(e.name, e.spec!);
  } else if ((e.kind === 'secret' || e.kind === 'config') && e.action === 'create') {
    say(`Creating ${e.kind} ${e.name}`);
    await client.createResource(e.kind, e.name, Buffer.from(String(e.spec!.Data), 'base64'), e.spec!.Labels as Record<string, string>);
  } else if (e.kind === 'config' && e.action === 'update') {
    throw new Error(`config ${e.name} has new data, and a swarm does not change a config's data: give it a new name`);
  } else if (e.kind === 'service') {
    if (e.action === 'remove') {
      say(`Removing service ${e.name}`);
      await client.removeService(e.id!);
      return;
    }
    const spec = await resolve(client, e.spec!);
    const image = String(spec.TaskTemplate?.ContainerSpec?.Image ?? '');
    const auth = options.auth?.(image);
    // Only services that are sent are pinned: an unchanged one is not sent at all.
    if ((options.resolveImage ?? 'never') !== 'never' && image && !image.includes('@')) {
      const digest = await client.imageDigest(image, auth).catch(() => '');
      if (digest) spec.TaskTemplate.ContainerSpec.Image = `${image}@${digest}`;
      else {
        options.warn?.(
          `image ${image} could not be accessed on a registry to record its digest. Each node will access ${image} independently, possibly leading to different nodes running different versions of the image.`,
        );
      }
    }
    if (e.action === 'create') {
      say(`Creating service ${e.name}`);
      await client.createService(spec as ServiceSpec, auth);
    } else {
      say(`Updating service ${e.name}`);
      spec.TaskTemplate.ForceUpdate = e.forceUpdate ?? 0;
      try {
        await client.replaceServiceSpec(e.id!, e.version!, spec as ServiceSpec, auth);
      } catch (error) {
        if (/update out of sequence/.test((error as Error).message)) throw new PlanConflict(e.name);
        throw error;
      }
    }
  }
}

/** Network names and secret or config names to ids, as they are once the plan's objects exist. */
async function resolve(client: SwarmClient, spec: Record<string, any>): Promise<Record<string, any>> {
  const out = structuredClone(spec);
  const [secrets, configs] = await Promise.all([client.listResources('secrets'), client.listResources('configs')]);
  const idOf = (list: SwarmObject[], name: string) => String(list.find((o) => nameOf(o) === name)?.ID ?? name);
  // Networks go by name, as the CLI sends them: dockerd resolves them (and knows bridge and host, which are no swarm object).
  for (const r of out.TaskTemplate?.ContainerSpec?.Secrets ?? []) r.SecretID = idOf(secrets, r.SecretName);
  for (const r of out.TaskTemplate?.ContainerSpec?.Configs ?? []) r.ConfigID = idOf(configs, r.ConfigName);
  return out;
}
