import type { ServiceRestarts, SwarmService, SwarmTask } from '../../docker/types.js';
import type { DockerError } from '../../docker/client.js';
import { canonical } from '../task-spec.js';
import type { SyncCore } from './core.js';
import { oomCandidates, type OomTarget } from './oom.js';

/** How far back restarts are counted, ms. */
export const RESTART_WINDOW = 10 * 60_000;

/** From this many restarts of one slot in the window a service is crash-looping (a node's failure restarts many slots once each). */
export const CRASH_LOOP_RESTARTS = 3;

/** How often a suspect's task history is read, ms. */
const HISTORY_POLL = 5000;

/** The most services whose history is read at once (the ones most recently seen short). */
const MAX_SUSPECTS = 20;

/** How often the history of a service on screen (not a suspect) is read again, ms. */
const SHOWN_CHECK = 60_000;

/** A service whose history showed no exit is not suspected again for this long, ms: one scaling up is short for minutes. */
const CLEARED_FOR = 30_000;

/**
 * How many tasks a slot keeps in dockerd's history (the swarm's TaskHistoryRetentionLimit, 5 by
 * default, the running one included): a slot with this many ended ones may have restarted more.
 */
export const KEPT_PER_SLOT = 4;

/**
 * Container exits of a service's tasks in the window, from its task history (failed, and complete: a
 * container that exited 0 is restarted too). With `template`, only the tasks of that spec count:
 * an update or edit that fixes a crash loop ends it, whatever its old tasks did.
 */
export function countRestarts(tasks: SwarmTask[], now: number, template?: unknown): ServiceRestarts | undefined {
  let count = 0;
  const slots = new Map<string, number>();
  let lastAt = -Infinity;
  let firstAt = Infinity;
  let lastError: string | undefined;
  const current = template === undefined ? undefined : canonical(template);
  for (const task of tasks) {
    const state = task.Status.State;
    if (state !== 'failed' && state !== 'complete') continue;
    const at = Date.parse(task.Status.Timestamp ?? '');
    if (!(at > now - RESTART_WINDOW)) continue;
    if (current !== undefined && canonical(task.Spec) !== current) continue;
    count += 1;
    const slot = task.Slot ? `s${task.Slot}` : `n${task.NodeID ?? ''}`;
    slots.set(slot, (slots.get(slot) ?? 0) + 1);
    firstAt = Math.min(firstAt, at);
    if (at > lastAt) {
      lastAt = at;
      lastError = task.Status.Err || `exited ${task.Status.ContainerStatus?.ExitCode ?? 0}`;
    }
  }
  if (count === 0) return undefined;
  const worstSlot = Math.max(...slots.values());
  // dockerd keeps only the last few tasks of a slot: past that, the count is a floor, and the gaps between the kept exits give the rate.
  const capped = worstSlot >= KEPT_PER_SLOT;
  const every = capped && count > 1 ? (lastAt - firstAt) / (count - 1) : undefined;
  return { count, worstSlot, lastError, lastAt, ...(capped ? { capped, every } : {}) };
}

/** "3 restarts in 10m"; "4+ restarts in 10m, every ~11s" where dockerd's history may hold fewer than there were. */
export function restartsText(r: ServiceRestarts): string {
  const window = `in ${RESTART_WINDOW / 60_000}m`;
  if (!r.capped) return `${r.count} restart${r.count === 1 ? '' : 's'} ${window}`;
  const every =
    r.every === undefined ? '' : `, every ~${r.every < 120_000 ? `${Math.max(1, Math.round(r.every / 1000))}s` : `${Math.round(r.every / 60_000)}m`}`;
  return `${r.count}+ restarts ${window}${every}`;
}

/**
 * The ended tasks of some services, by service, in one request: only tasks told to shut down (a
 * failed or exited one is, when it is replaced), not the running ones, which a healthy service of
 * 100 replicas is made of. dockerd ORs the values of one filter.
 */
async function histories(core: SyncCore, ids: string[]): Promise<Map<string, SwarmTask[]> | undefined> {
  const byService = new Map<string, SwarmTask[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byService;
  let tasks: SwarmTask[];
  try {
    tasks = await core.client.listTasks({ service: ids, desired: 'shutdown' });
  } catch (error) {
    // One of them was removed since it was listed: dockerd refuses the whole filter. Next round.
    if ((error as DockerError).status === 404) return undefined;
    throw error;
  }
  for (const task of tasks) byService.get(task.ServiceID)?.push(task);
  return byService;
}

/**
 * A crash loop looks healthy half the time (0/1, 1/1, 0/1...): a service seen short of tasks with
 * no update under way, or one on screen whose history shows restarts, becomes a suspect, and its
 * task history is read every few seconds for as long as it has restarts in the window. Only
 * suspects and the services on screen are read, never every service's history.
 */
export class Restarts {
  /** Suspect service id -> when it was last seen short of tasks or restarting (ms). */
  private suspects = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  /** Services on screen, and when each one's history was last read (ms, real time). */
  private shown: string[] = [];
  private checked = new Map<string, number>();
  private shownTimer?: NodeJS.Timeout;
  /** Services whose history just showed no exit, and when (ms, real time). */
  private cleared = new Map<string, number>();
  /** Told of the exit-137 failures in each history read (the OOM probe asks their nodes whether the OOM killer did it). */
  onHistory?: (targets: OomTarget[]) => void;

  constructor(private readonly core: SyncCore) {}

  /**
   * The services on screen: their histories are read now (those not read in the last minute) and
   * every minute while shown; one with restarts becomes a suspect. A listing can miss a loop that
   * happens to be up; this does not.
   */
  show(ids: string[]): void {
    this.shown = ids;
    this.core.cancel(this.shownTimer);
    this.shownTimer = undefined;
    if (ids.length > 0) void this.checkShown();
  }

  private async checkShown(): Promise<void> {
    const { core } = this;
    const at = Date.now();
    const due = this.shown.filter((id) => !this.suspects.has(id) && !((this.checked.get(id) ?? -Infinity) > at - SHOWN_CHECK));
    for (const id of due) this.checked.set(id, at);
    if (due.length > 0) {
      const now = core.now();
      await core.guarded(async () => {
        for (const [id, tasks] of (await histories(core, due)) ?? []) {
          this.onHistory?.(oomCandidates(tasks));
          if (countRestarts(tasks, now)) this.suspects.set(id, now);
        }
      });
      if (this.suspects.size > 0 && !this.timer) this.timer = core.later(0, () => void this.read());
    }
    if (!core.stopped && this.shown.length > 0) this.shownTimer = core.later(SHOWN_CHECK, () => void this.checkShown());
  }

  /** Looks at a services listing for services short of tasks. */
  observe(services: SwarmService[]): void {
    const now = this.core.now();
    const at = Date.now();
    for (const s of services) {
      const status = s.ServiceStatus;
      const updating = s.UpdateStatus?.State === 'updating' || s.UpdateStatus?.State === 'rollback_started';
      if (!status || status.RunningTasks >= status.DesiredTasks || updating || this.suspects.has(s.ID)) continue;
      if ((this.cleared.get(s.ID) ?? -Infinity) > at - CLEARED_FOR) continue;
      this.suspects.set(s.ID, now);
    }
    if (this.suspects.size > 0 && !this.timer) this.timer = this.core.later(0, () => void this.read());
  }

  /** Forgets everything (another swarm). */
  reset(): void {
    this.core.cancel(this.timer);
    this.core.cancel(this.shownTimer);
    this.timer = undefined;
    this.shownTimer = undefined;
    this.suspects.clear();
    this.checked.clear();
    this.cleared.clear();
  }

  private async read(): Promise<void> {
    const { core } = this;
    const now = core.now();
    const services = new Map(core.store.getSnapshot().services.map((s) => [s.ID, s]));
    for (const [id, seen] of this.suspects) if (!services.has(id) || seen < now - RESTART_WINDOW) this.suspects.delete(id);
    const ids = [...this.suspects.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_SUSPECTS)
      .map(([id]) => id);
    const found = new Map<string, ServiceRestarts>();
    await core.guarded(async () => {
      const read = await histories(core, ids);
      // (Not read this round: what is shown stays until the next.)
      if (!read) return;
      for (const [id, tasks] of read) {
        this.onHistory?.(oomCandidates(tasks));
        const restarts = countRestarts(tasks, now, services.get(id)?.Spec.TaskTemplate);
        if (!restarts) {
          // Short (scaling up, say) with no exit in its history: not a suspect, for a while.
          this.suspects.delete(id);
          this.cleared.set(id, Date.now());
          continue;
        }
        found.set(id, restarts);
        this.suspects.set(id, now);
      }
      // (Nothing before and nothing now: no new state, no redraw.)
      if (found.size > 0 || core.store.getSnapshot().restarts.size > 0) core.store.dispatch({ type: 'restarts', restarts: found });
    });
    this.timer = undefined;
    if (!core.stopped && this.suspects.size > 0) this.timer = core.later(HISTORY_POLL, () => void this.read());
  }
}
