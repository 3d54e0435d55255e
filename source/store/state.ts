import type { LogEntry } from '../docker/demux.js';
import { ACTION_LOG_SHOWN, type ActionRecord } from './action-log.js';
import type { EngineInfo, SwarmNode, SwarmService, SwarmTask } from '../docker/types.js';

/** Whose tasks or logs are shown. */
export interface Scope {
  kind: 'service' | 'node' | 'task';
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
  /** The action log's newest records, oldest first: read from the file when its view opens, then appended to. */
  actions: ActionRecord[];
  /** The last result of an action or error, word for word. */
  status?: { text: string; kind: 'info' | 'success' | 'error'; at: number };
}

/** What changes the state. */
export type Action =
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'endpoint'; endpoint: string }
  | { type: 'actions/load'; records: ActionRecord[] }
  | { type: 'actions/append'; record: ActionRecord }
  | { type: 'info'; info: EngineInfo }
  | { type: 'nodes'; nodes: SwarmNode[]; at: number }
  | { type: 'services'; services: SwarmService[]; at: number }
  | { type: 'tasks'; scope: Scope; items: SwarmTask[]; at: number }
  | { type: 'tasks/scope'; scope?: Scope }
  | { type: 'counts'; counts: Map<string, number> }
  | { type: 'logs/reset'; scope?: Scope; status: LogBuffer['status'] }
  | { type: 'logs/append'; lines: LogEntry[]; limit: number }
  | { type: 'logs/status'; status: LogBuffer['status']; error?: string }
  | { type: 'status'; text: string; kind: 'info' | 'success' | 'error'; at: number };

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
    actions: [],
  };
}

const sameScope = (a?: Scope, b?: Scope) => a?.kind === b?.kind && a?.id === b?.id;

/** The pure reducer: every change to cluster state goes through here. */
export function reduce(state: ClusterState, action: Action): ClusterState {
  switch (action.type) {
    case 'connection':
      return { ...state, connection: action.connection };
    case 'endpoint':
      return { ...state, endpoint: action.endpoint };
    case 'actions/load':
      return { ...state, actions: action.records };
    case 'actions/append':
      return { ...state, actions: [...state.actions.slice(-(ACTION_LOG_SHOWN - 1)), action.record] };
    case 'info':
      return { ...state, info: action.info };
    case 'nodes':
      return {
        ...state,
        nodes: action.nodes,
        loaded: { ...state.loaded, nodes: true },
        connection: { status: 'connected', lastOk: action.at },
      };
    case 'services':
      return {
        ...state,
        services: action.services,
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
    case 'counts':
      return { ...state, counts: action.counts };
    case 'logs/reset':
      return { ...state, logs: { scope: action.scope, lines: [], dropped: 0, status: action.status } };
    case 'logs/append': {
      const lines = state.logs.lines.concat(action.lines);
      const over = Math.max(0, lines.length - action.limit);
      return {
        ...state,
        logs: { ...state.logs, lines: over > 0 ? lines.slice(over) : lines, dropped: state.logs.dropped + over },
      };
    }
    case 'logs/status':
      return { ...state, logs: { ...state.logs, status: action.status, error: action.error } };
    case 'status':
      return { ...state, status: { text: action.text, kind: action.kind, at: action.at } };
  }
}
