import type { LogEntry } from '../docker/demux.js';
import { mergeByTime } from './log-range.js';
import { ACTION_LOG_SHOWN, type ActionRecord } from './action-log.js';
import { hasQuorum, quorumOf } from '../swarm/quorum.js';
import type { StatsFigures } from '../docker/node-engine.js';
import type { ContainerRow, DiskUseLine, ProcessList } from '../docker/node-views.js';
import { noteEvents, noteListing, type PendingChange, type TimelineEvent } from './spec-changes.js';
import type { EngineInfo, ResourceKind, ServiceRestarts, SwarmEvent, SwarmNode, SwarmObject, SwarmService, SwarmTask } from '../docker/types.js';

/** Whose tasks, logs, services, events or inspect output are shown. */
export interface Scope {
  /** `plan`: an object a `:deploy` plan on screen would create (id `kind:name`), not yet in the swarm. */
  kind: 'service' | 'node' | 'task' | 'stack' | 'network' | 'config' | 'secret' | 'swarm' | 'action' | 'plan';
  id: string;
  /** The name shown on screen. */
  name: string;
}

/** The connection as the header shows it. */
export interface ConnectionState {
  status: 'connecting' | 'connected' | 'disconnected';
  error?: string;
  /** When the next reconnect attempt is due (ms), while disconnected. */
  retryAt?: number;
  /** When data last arrived (ms): what the staleness marker counts from. */
  lastOk?: number;
  /** Set while the manager answers but raft has no leader (quorum lost): since when (ms). */
  noLeader?: { since: number };
}

/** Log lines of one scope, newest last, bounded. */
export interface LogBuffer {
  scope?: Scope;
  lines: LogEntry[];
  /** Lines dropped from the front to keep the buffer bounded. */
  dropped: number;
  status: 'idle' | 'loading' | 'streaming' | 'ended' | 'error';
  error?: string;
}

/** Everything the console knows about the cluster: plain data, outside React. */
export interface ClusterState {
  endpoint: string;
  connection: ConnectionState;
  info?: EngineInfo;
  nodes: SwarmNode[];
  services: SwarmService[];
  /** Loaded once; undefined until the first listing arrives. */
  loaded: { nodes: boolean; services: boolean };
  tasks: { scope?: Scope; items: SwarmTask[]; loaded: boolean };
  logs: LogBuffer;
  /** Running tasks per node id, for the nodes in view (fetched only while the nodes view shows). */
  counts: Map<string, number>;
  /** The running tasks of those same nodes (the cluster map draws them). */
  nodeTasks: Map<string, SwarmTask[]>;
  /** Every running task of the swarm (desired running), listed only while `:top` shows (see Needs.running). */
  running: { items: SwarmTask[]; loaded: boolean };
  /** The running tasks of the services on screen, by service id (their containers are sampled for the services view's CPU and MEM). */
  serviceTasks: Map<string, SwarmTask[]>;
  /** Networks, configs and secrets: loaded when their view opens, kept current by events. */
  resources: Partial<Record<ResourceKind, SwarmObject[]>>;
  /** Swarm events as they arrived (and the last minutes' before connecting), newest last, bounded. */
  events: TimelineEvent[];
  /** Spec changes a listing showed whose update events have not come yet (see spec-changes.ts). */
  pendingSpecChanges: PendingChange[];
  /** The docker contexts on this machine, read when the contexts view opens. */
  contexts: { name: string; host: string; current: boolean }[];
  /** The object the inspect view shows, read fresh when it opens. */
  inspect?: { scope: Scope; object?: unknown; error?: string };
  /** The action log's newest records, oldest first: read from the file when its view opens, then appended to. */
  actions: ActionRecord[];
  /** The last result of an action or error, word for word. */
  status?: StatusMessage;
  /** Every status message of this session, oldest first, bounded: the history the status line forgets. */
  messages: StatusMessage[];
  /** When the connection last became connected (ms): messages from before it are not shown as current. */
  connectedSince?: number;
  /** Recent restarts of the services that have had any, by service id (folded into `services` as Restarts). */
  restarts: Map<string, ServiceRestarts>;
  /** CPU and memory of the containers on screen (sampled from their nodes' engines), and why a node's are not known. */
  stats: StatsState;
  /** Tasks whose container the OOM killer ended, by task id (see OomProbe): only the ones found so. */
  oomKills: Map<string, OomKill>;
  /** What the view on screen shows of one node's own engine (see Needs.engine), as last read. */
  engine: EngineState;
}

/** The answer to an engine need, under its key (engineKey); the error when the node could not be read. */
export interface EngineState {
  key?: string;
  containers?: ContainerRow[];
  processes?: ProcessList;
  disk?: DiskUseLine[];
  error?: string;
  at?: number;
}

/** Containers' figures by container id; nodes whose engine cannot be reached, by node id, with why. */
export interface StatsState {
  figures: Map<string, StatsFigures>;
  unreachable: Map<string, string>;
  /** The last few minutes of each sampled container's figures, oldest first (see StatsPoller): the sparklines. */
  history?: Map<string, StatsSample[]>;
}

/** One sample of a container's history: when the engine took it (ms), CPU % (none on a first sample), memory bytes. */
export interface StatsSample {
  at: number;
  cpu?: number;
  mem: number;
}

/** What the console learnt by inspecting an exited task's container on its node: the kernel's OOM killer ended it. */
export interface OomKill {
  containerId: string;
  nodeId: string;
  exitCode: number;
  /** When the container ended (ms), from the task's status. */
  at: number;
}

/** One message of the status line. */
export interface StatusMessage {
  text: string;
  kind: 'info' | 'success' | 'error';
  at: number;
}

/** How many status messages the history keeps. */
export const MESSAGE_LIMIT = 500;

/** What changes the state. */
export type Action =
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'endpoint'; endpoint: string }
  | { type: 'actions/load'; records: ActionRecord[] }
  | { type: 'resource'; kind: ResourceKind; items: SwarmObject[] }
  | { type: 'events'; events: SwarmEvent[] }
  | { type: 'inspect'; scope: Scope; object?: unknown; error?: string }
  | { type: 'reset'; endpoint: string }
  | { type: 'contexts'; items: ClusterState['contexts'] }
  | { type: 'actions/append'; record: ActionRecord }
  | { type: 'info'; info: EngineInfo }
  | { type: 'nodes'; nodes: SwarmNode[]; at: number }
  | { type: 'managers'; managers: SwarmNode[] }
  | { type: 'services'; services: SwarmService[]; at: number }
  | { type: 'tasks'; scope: Scope; items: SwarmTask[]; at: number }
  | { type: 'tasks/scope'; scope?: Scope }
  | { type: 'restarts'; restarts: Map<string, ServiceRestarts> }
  | { type: 'counts'; counts: Map<string, number>; tasks?: Map<string, SwarmTask[]> }
  | { type: 'running'; items?: SwarmTask[] }
  | { type: 'serviceTasks'; tasks: Map<string, SwarmTask[]> }
  | { type: 'logs/reset'; scope?: Scope; status: LogBuffer['status'] }
  | { type: 'logs/append'; lines: LogEntry[]; limit: number }
  | { type: 'logs/status'; status: LogBuffer['status']; error?: string }
  | { type: 'status'; text: string; kind: 'info' | 'success' | 'error'; at: number }
  | { type: 'stats'; stats: StatsState }
  | { type: 'oomKills'; oomKills: Map<string, OomKill>; events?: TimelineEvent[] }
  | { type: 'engine'; engine: EngineState };

/** How far back the events timeline starts when the console connects, seconds. */
export const EVENT_HISTORY_SECONDS = 3 * 60 * 60;

/** The most events the timeline keeps. */
export const EVENT_LIMIT = 1000;

/** The state before anything is known. */
export function initialState(endpoint: string): ClusterState {
  return {
    endpoint,
    connection: { status: 'connecting' },
    nodes: [],
    services: [],
    loaded: { nodes: false, services: false },
    tasks: { items: [], loaded: false },
    logs: { lines: [], dropped: 0, status: 'idle' },
    counts: new Map(),
    nodeTasks: new Map(),
    running: { items: [], loaded: false },
    serviceTasks: new Map(),
    actions: [],
    messages: [],
    restarts: new Map(),
    stats: { figures: new Map(), unreachable: new Map() },
    oomKills: new Map(),
    engine: {},
    resources: {},
    events: [],
    pendingSpecChanges: [],
    contexts: [],
  };
}

/** Two scopes name the same object. */
export const sameScope = (a?: Scope, b?: Scope) => a?.kind === b?.kind && a?.id === b?.id;

/** The pure reducer: every change to cluster state goes through here. */
export function reduce(state: ClusterState, action: Action): ClusterState {
  const next = apply(state, action);
  if (next.connection.status === 'connected' && state.connection.status !== 'connected') {
    // A (re)connection: what was said before it is history, not news.
    const at = 'at' in action ? action.at : (next.connection.lastOk ?? state.connectedSince ?? 0);
    return { ...next, connectedSince: at };
  }
  return next;
}

function apply(state: ClusterState, action: Action): ClusterState {
  switch (action.type) {
    case 'connection':
      return { ...state, connection: action.connection };
    case 'endpoint':
      return { ...state, endpoint: action.endpoint };
    case 'resource':
      return { ...state, resources: { ...state.resources, [action.kind]: action.items } };
    case 'events': {
      const { events, pendingSpecChanges } = noteEvents(state, action.events);
      return { ...state, events: events.length > EVENT_LIMIT ? events.slice(-EVENT_LIMIT) : events, pendingSpecChanges };
    }
    case 'inspect':
      return { ...state, inspect: { scope: action.scope, object: action.object, error: action.error } };
    case 'contexts':
      return { ...state, contexts: action.items };
    case 'reset':
      // Another swarm (a context switch): nothing of the last one may be shown as this one's.
      return { ...initialState(action.endpoint), actions: state.actions, contexts: state.contexts, messages: state.messages };
    case 'actions/load':
      return { ...state, actions: action.records };
    case 'actions/append':
      return { ...state, actions: [...state.actions.slice(-(ACTION_LOG_SHOWN - 1)), action.record] };
    case 'info':
      return { ...state, info: action.info };
    case 'nodes':
      return {
        ...state,
        ...noteListing(state, 'node', state.nodes, action.nodes),
        nodes: action.nodes,
        loaded: { ...state.loaded, nodes: true },
        connection: { status: 'connected', lastOk: action.at },
      };
    case 'managers': {
      // The managers as just listed, in place in the node list (the probe's cheap look at raft).
      const fresh = new Map(action.managers.map((n) => [n.ID, n]));
      // (Reachability can change with no new version: compared as read, not by version.)
      const moved = (n: SwarmNode) => fresh.has(n.ID) && JSON.stringify(fresh.get(n.ID)) !== JSON.stringify(n);
      if (!state.loaded.nodes || !state.nodes.some(moved)) return state;
      const nodes = state.nodes.map((n) => fresh.get(n.ID) ?? n);
      return { ...state, ...noteListing(state, 'node', state.nodes, nodes), nodes };
    }
    case 'services':
      return {
        ...state,
        ...noteListing(state, 'service', state.services, action.services),
        services: withRestarts(action.services, state.restarts),
        loaded: { ...state.loaded, services: true },
        connection: { status: 'connected', lastOk: action.at },
      };
    case 'tasks':
      // A late answer for a scope the user already left is dropped.
      if (!sameScope(action.scope, state.tasks.scope)) return state;
      return { ...state, tasks: { scope: action.scope, items: action.items, loaded: true }, connection: { status: 'connected', lastOk: action.at } };
    case 'tasks/scope':
      if (sameScope(action.scope, state.tasks.scope)) return state;
      return { ...state, tasks: { scope: action.scope, items: [], loaded: false } };
    case 'restarts':
      return { ...state, restarts: action.restarts, services: withRestarts(state.services, action.restarts) };
    case 'counts':
      return { ...state, counts: action.counts, nodeTasks: action.tasks ?? state.nodeTasks };
    case 'running':
      // None: no longer shown, and forgotten (at 50,000 tasks it is the biggest list the console holds).
      return { ...state, running: action.items ? { items: action.items, loaded: true } : { items: [], loaded: false } };
    case 'serviceTasks':
      return { ...state, serviceTasks: action.tasks };
    case 'logs/reset':
      return { ...state, logs: { scope: action.scope, lines: [], dropped: 0, status: action.status } };
    case 'logs/append': {
      // Several streams (a stack's services) arrive interleaved: kept in time order.
      const lines = mergeByTime(state.logs.lines, action.lines);
      const over = Math.max(0, lines.length - action.limit);
      return {
        ...state,
        logs: { ...state.logs, lines: over > 0 ? lines.slice(over) : lines, dropped: state.logs.dropped + over },
      };
    }
    case 'logs/status':
      return { ...state, logs: { ...state.logs, status: action.status, error: action.error } };
    case 'stats':
      return { ...state, stats: action.stats };
    case 'oomKills': {
      // Events learnt late (an OOM kill found by inspecting its container) go where their time puts them.
      const events = [...state.events];
      for (const event of action.events ?? []) {
        let at = events.length;
        while (at > 0 && (events[at - 1].timeNano ?? 0) > (event.timeNano ?? 0)) at -= 1;
        events.splice(at, 0, event);
      }
      return { ...state, oomKills: action.oomKills, events: events.length > EVENT_LIMIT ? events.slice(-EVENT_LIMIT) : events };
    }
    case 'engine':
      return { ...state, engine: action.engine };
    case 'status': {
      const message = { text: action.text, kind: action.kind, at: action.at };
      const messages = state.messages.length >= MESSAGE_LIMIT ? state.messages.slice(1 - MESSAGE_LIMIT) : state.messages.slice();
      messages.push(message);
      return { ...state, status: message, messages };
    }
  }
}

/** True when the manager is swarmdeck's simulator (its engine version says so): the practice drills work there only. */
export const onSimulator = (state: ClusterState) => Boolean(state.info?.ServerVersion?.endsWith('swarmdeck-sim'));

/** The services with their recent restarts set (and cleared where there are none now). */
function withRestarts(services: SwarmService[], restarts: Map<string, ServiceRestarts>): SwarmService[] {
  if (restarts.size === 0 && !services.some((s) => s.Restarts)) return services;
  return services.map((s) => {
    const r = restarts.get(s.ID);
    if (r === s.Restarts) return s;
    if (!r) {
      const { Restarts: _, ...rest } = s;
      return rest;
    }
    return { ...s, Restarts: r };
  });
}

/** The managers as the last node list counts them, and whether raft can have a leader among them. */
export function managerQuorum(state: ClusterState): { managers: number; reachable: number; lost: boolean } {
  const managers = state.nodes.filter((n) => n.Spec.Role === 'manager');
  let reachable = managers.filter((n) => n.ManagerStatus?.Reachability === 'reachable' && n.Status.State !== 'down').length;
  const noLeader = Boolean(state.connection.noLeader);
  // Without a leader the list cannot be read again: it is the one from before. Fewer than a
  // majority answer, and the one we talk to is one of them.
  if (noLeader) reachable = Math.max(1, Math.min(reachable, quorumOf(managers.length) - 1));
  return { managers: managers.length, reachable, lost: noLeader || (managers.length > 0 && !hasQuorum(reachable, managers.length)) };
}

/** True when what is on screen may no longer be so: disconnected, no leader, or the last listing failed. */
export const dataStale = (state: ClusterState) =>
  state.connection.status !== 'connected' || Boolean(state.connection.error) || Boolean(state.connection.noLeader);

/** The swarm itself, as the inspect view names it. */
export const SWARM_SCOPE: Scope = { kind: 'swarm', id: 'swarm', name: 'the swarm' };
