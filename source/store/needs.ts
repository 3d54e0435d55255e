import type { ResourceKind } from '../docker/types.js';
import type { LogRange } from './log-range.js';
import type { Scope } from './state.js';
import type { StatsBudget } from './sync/stats.js';
import type { OomTarget } from './sync/oom.js';

/**
 * What a view needs from the manager besides the nodes and services every view's header shows
 * (and the event stream, always open). A view says it; Sync.show keeps exactly that current, and
 * load() fetches it once for --once.
 */
export interface Needs {
  /** The tasks of a service or node, with history, polled while shown. */
  tasks?: Scope;
  /** The logs of a service, task or stack, from how far back (a change of the range reopens them). */
  logs?: { scope: Scope; follow: boolean; range?: LogRange };
  /** The running tasks of these nodes (counts per node, the map's blocks); `poll` keeps them current. */
  nodes?: { ids: string[]; poll: boolean };
  /** Every running task of the swarm (`:top`), polled while shown. */
  running?: boolean;
  /** A networks, configs or secrets listing, kept current by its events. */
  resource?: ResourceKind;
  /** One object, read fresh when shown. */
  inspect?: Scope;
  /** The recent event history (live, the event stream replays it; --once asks for it). */
  events?: boolean;
  /** The action log, read from its file when shown (it holds earlier sessions' actions too). */
  actions?: boolean;
  /** This machine's docker contexts. */
  contexts?: boolean;
  /** Services on screen whose task history is checked for restarts (when shown, then once a minute). */
  restarts?: string[];
  /** Services on screen whose running tasks are listed (and polled), so that their containers can be sampled. */
  serviceTasks?: string[];
  /** Containers on screen whose CPU and memory are sampled from their nodes' engines (see StatsPoller). */
  stats?: { nodeId: string; containerId: string }[];
  /** How much each sweep samples, for a view that samples more than it shows (`:top`); else STATS_BUDGET's per node. */
  statsBudget?: StatsBudget;
  /** Failed exit-137 tasks on screen whose containers are asked whether the OOM killer ended them (see OomProbe). */
  oom?: OomTarget[];
  /** What the view shows of one node's own engine: its containers, a container's processes (docker top), its disk use (system df). */
  engine?: EngineNeed;
}

/** One read of a node's own engine a view needs (see EngineViews). */
export interface EngineNeed {
  what: 'containers' | 'processes' | 'disk';
  nodeId: string;
  containerId?: string;
}

/** The key of an engine need: the store keeps the answer under it, so a view never shows another one's. */
export const engineKey = (need: EngineNeed | undefined) => (need ? `${need.what}:${need.nodeId}:${need.containerId ?? ''}` : '');

const statsKeys = new WeakMap<object, string>();

/** The key of the containers sampled: kept per list, since `:top` samples every running container (50,000 at 1,000 nodes) and asks on every frame. */
function statsKey(stats: Needs['stats']): string {
  if (!stats) return '';
  let key = statsKeys.get(stats);
  if (key === undefined) {
    key = stats.map((t) => t.containerId.slice(0, 12)).join(',');
    statsKeys.set(stats, key);
  }
  return key;
}

const scopeKey = (scope: Scope | undefined) => (scope ? `${scope.kind}:${scope.id}` : '');

/** A string that changes when, and only when, what is needed changes: effects and Sync compare it. */
export function needsKey(needs: Needs): string {
  return [
    scopeKey(needs.tasks),
    scopeKey(needs.logs?.scope) + (needs.logs?.range ? `~${needs.logs.range.since ?? ''}~${needs.logs.range.tail ?? ''}` : ''),
    needs.nodes ? `${needs.nodes.poll ? 'poll' : ''}:${needs.nodes.ids.join(',')}` : '',
    needs.running ? 'running' : '',
    needs.resource ?? '',
    scopeKey(needs.inspect),
    needs.events ? 'events' : '',
    needs.actions ? 'actions' : '',
    needs.contexts ? 'contexts' : '',
    needs.restarts ? needs.restarts.join(',') : '',
    needs.serviceTasks ? `st:${needs.serviceTasks.join(',')}` : '',
    statsKey(needs.stats) + (needs.statsBudget ? `/${needs.statsBudget.perNode}/${needs.statsBudget.nodes ?? ''}` : ''),
    engineKey(needs.engine),
    needs.oom ? needs.oom.map((t) => t.containerId.slice(0, 12)).join(',') : '',
  ].join('|');
}
