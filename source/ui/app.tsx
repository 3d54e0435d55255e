import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { SwarmNode, SwarmService } from '../docker/types.js';
import { match, type CommandId, BINDINGS, VIEW_COMMANDS, viewCommand } from '../keymap/bindings.js';
import { ActionLog } from '../store/action-log.js';
import { demoteRefusal, hostname, quorumOf, quorumRisk, parseReplicas, READ_ONLY_MESSAGE, scaleRefusal, swarmActions, type ActionContext } from '../store/actions.js';
import { onSimulator, SWARM_SCOPE, type Scope } from '../store/state.js';
import type { Store } from '../store/store.js';
import type { Sync } from '../store/sync.js';
import { rollbackChanges } from './present/diff.js';
import { placesFor } from './present/rollout.js';
import { taskName } from './present/rows.js';
import { CHROME_ROWS, Screen } from './screen.js';
import { inspectText, mapColumns, mapNodes, mapOffset } from './panes.js';
import { windowStart } from './components/table.js';
import { currentView, initialUi, viewKey, type UiState, type View } from './ui-state.js';
import { filterRows, isListView, listModel } from './views.js';

type InkKey = Parameters<Parameters<typeof useInput>[0]>[1];



/** Splits a chunk of typed characters into key presses as Ink would have reported them one by one. */
export function splitKeys(chunk: string): { input: string; key: Partial<InkKey> }[] {
  const none = { return: false, backspace: false, delete: false, ctrl: false, escape: false, tab: false };
  return [...chunk].map((ch) => {
    if (ch === '\r' || ch === '\n') return { input: '', key: { ...none, return: true } };
    if (ch === '\u007f' || ch === '\b') return { input: '', key: { ...none, backspace: true } };
    if (ch === '\t') return { input: '', key: { ...none, tab: true } };
    const code = ch.charCodeAt(0);
    if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), key: { ...none, ctrl: true } };
    return { input: ch, key: none };
  });
}

/** What the live console needs. */
export interface AppProps {
  store: Store;
  sync: Sync;
  readOnly: boolean;
  /** Fixed size (tests, --once); else the terminal's, following resizes. */
  width?: number;
  height?: number;
  /** The clock for "x ago" (tests pass the simulator's). */
  now?: () => number;
  initialView?: View;
  /** Where actions are recorded (default: the XDG state directory). */
  actionLog?: ActionLog;
}

function useTerminalSize(width?: number, height?: number) {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout?.columns || 80, rows: stdout?.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (width !== undefined || !stdout) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, width]);
  // One row less than the terminal: Ink 6 clears the whole screen before a frame as tall as the terminal.
  return { width: width ?? size.columns, height: height ?? Math.max(CHROME_ROWS + 2, size.rows - 1) };
}

/** The console: state from the store, keys through the keymap, actions through the store's actions. */
export function App({ store, sync, readOnly, width: fixedWidth, height: fixedHeight, now = Date.now, initialView, actionLog }: AppProps) {
  const log = useMemo(() => actionLog ?? new ActionLog(), [actionLog]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { exit } = useApp();
  const { width, height } = useTerminalSize(fixedWidth, fixedHeight);
  const [ui, setUi] = useState<UiState>(() => initialUi(initialView));
  const [tick, setTick] = useState(0);
  // The key handler reads and writes this ref synchronously; `ui` follows it on the next render.
  const uiRef = useRef(ui);
  // Images this session's drill made fail: the same key makes them work again.
  const brokenImages = useRef(new Set<string>());
  const view = currentView(ui);
  const key = viewKey(view);
  const bodyHeight = Math.max(1, height - CHROME_ROWS);
  const ctx: ActionContext = useMemo(() => ({ store, sync, readOnly, now, log }), [store, sync, readOnly, now, log]);

  // Ages ("5 seconds ago"), the retry countdown and the status line's age move with time even when
  // no data changes; when none of them is on screen, nothing is redrawn on a timer.
  const timeShown = view.kind === 'tasks' || state.connection.status !== 'connected' || Boolean(state.connection.error) || Boolean(state.status);
  useEffect(() => {
    if (!timeShown) return;
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, [timeShown]);

  // Only what is on screen is fetched: tasks of the scope in view, logs of the scope in view.
  const scopeId = view.scope?.id;
  useEffect(() => {
    if (view.kind === 'tasks') sync.setTasksScope(view.scope);
    else if (view.kind === 'logs' && view.scope?.kind === 'service') sync.setTasksScope(view.scope);
    else if (view.kind !== 'logs') sync.setTasksScope(undefined);
    if (view.kind === 'logs') sync.setLogs(view.scope, { follow: uiRef.current.logs.follow, tail: 200 });
    else sync.setLogs(undefined);
    // The action log is read from its file when shown: it holds earlier sessions' actions too.
    if (view.kind === 'actions') store.dispatch({ type: 'actions/load', records: log.read() });
    sync.setResourceView(view.kind === 'networks' || view.kind === 'configs' || view.kind === 'secrets' ? view.kind : undefined);
    if (view.kind === 'inspect' && view.scope) void sync.loadInspect(view.scope);
    if (view.kind === 'contexts') store.dispatch({ type: 'contexts', items: sync.contexts() });
  }, [view.kind, scopeId, sync, store, log]);

  const handleKey = (input: string, keyInfo: Parameters<Parameters<typeof useInput>[0]>[1]) => {
    // Everything is derived from the latest UI state and store snapshot, not from the last render:
    // keys typed faster than React re-renders must each see the effect of the one before.
    const ui = uiRef.current;
    const state = store.getSnapshot();
    const view = currentView(ui);
    const key = viewKey(view);
    const list = isListView(view.kind) ? listModel(view, state, now(), state.counts) : undefined;
    const rows = list ? filterRows(list.rows, ui.filters[key]) : [];
    const selectedIndex = Math.max(0, rows.findIndex((r) => r.key === ui.selection[key]));
    const selectedKey = rows[selectedIndex]?.key;
    const status = (text: string, kind: 'info' | 'error' | 'success' = 'error') => store.dispatch({ type: 'status', text, kind, at: now() });
    const patch = (change: Partial<UiState> | ((ui: UiState) => Partial<UiState>)) => {
      const current = uiRef.current;
      const next = { ...current, ...(typeof change === 'function' ? change(current) : change) };
      uiRef.current = next;
      setUi(next);
    };
    const select = (index: number) => {
      if (rows.length === 0) return;
      const clamped = Math.max(0, Math.min(rows.length - 1, index));
      patch((u) => ({ selection: { ...u.selection, [key]: rows[clamped].key } }));
    };
    const push = (next: View) => patch((u) => ({ stack: [...u.stack, next], help: false, logs: { ...u.logs, scroll: 0, match: 0 } }));
    const goTo = (next: View) => patch({ stack: [next], help: false });

    const selectedService = (): SwarmService | undefined =>
      view.kind === 'services' ? state.services.find((s) => s.ID === selectedKey) : undefined;
    const selectedNode = (): SwarmNode | undefined => (view.kind === 'nodes' ? state.nodes.find((n) => n.ID === selectedKey) : undefined);
    const serviceScope = (s: SwarmService): Scope => ({ kind: 'service', id: s.ID, name: s.Spec.Name ?? s.ID });
    const nodeScope = (n: SwarmNode): Scope => ({ kind: 'node', id: n.ID, name: hostname(n) });
    /** The object under the cursor, as inspect and events name it. */
    const selectedScope = (): Scope | undefined => {
      if (view.kind === 'services') return selectedService() && serviceScope(selectedService()!);
      if (view.kind === 'nodes') return selectedNode() && nodeScope(selectedNode()!);
      if (view.kind === 'tasks') return taskScope();
      if (view.kind === 'map') {
        const node = state.nodes.find((n) => n.ID === ui.selection.map);
        return node && nodeScope(node);
      }
      if (view.kind === 'networks' || view.kind === 'configs' || view.kind === 'secrets') {
        const row = rows[selectedIndex];
        return row && { kind: view.kind.slice(0, -1) as Scope['kind'], id: row.key, name: row.cells[0].replace(/ \(ingress\)$/, '') };
      }
      if (view.kind === 'events') {
        const event = eventAt(selectedKey);
        if (event && (event.Type === 'service' || event.Type === 'node')) return { kind: event.Type, id: event.Actor.ID, name: event.Actor.Attributes?.name ?? event.Actor.ID };
      }
      if (view.kind === 'logs' || view.kind === 'inspect') return view.scope;
      return undefined;
    };
    const eventAt = (key: string | undefined) => {
      const index = key ? Number(key.split(':').at(-1)) : NaN;
      return Number.isInteger(index) ? state.events[index] : undefined;
    };
    const taskScope = (): Scope | undefined => {
      const task = view.kind === 'tasks' ? state.tasks.items.find((t) => t.ID === selectedKey) : undefined;
      if (!task) return undefined;
      const services = new Map(state.services.map((s) => [s.ID, s]));
      return { kind: 'task', id: task.ID, name: `${taskName(task, services)}.${task.ID.slice(0, 12)}` };
    };

    const refuseIfReadOnly = (command: CommandId) => {
      const binding = BINDINGS.find((b) => b.id === command);
      if (readOnly && binding?.mutates) {
        status(READ_ONLY_MESSAGE);
        return true;
      }
      return false;
    };

    const runConfirmed = (command: CommandId, target: string) => {
      const service = store.getSnapshot().services.find((s) => s.ID === target);
      const node = store.getSnapshot().nodes.find((n) => n.ID === target);
      if (command === 'service.restart' && service) void swarmActions.forceUpdate(ctx, service);
      if (command === 'service.rollback' && service) void swarmActions.rollback(ctx, service);
      if (command === 'node.demote' && node) void swarmActions.role(ctx, node, 'worker');
      if (command === 'node.drain' && node) void swarmActions.availability(ctx, node, 'drain');
      if (command === 'node.pause' && node) void swarmActions.availability(ctx, node, 'pause');
    };

    /** Finds a service, node or task by name, id or id prefix, as the docker CLI does. */
    const findScope = (name: string): Scope | undefined => {
      const service = state.services.find((s) => s.Spec.Name === name) ?? state.services.find((s) => s.ID.startsWith(name));
      if (service) return serviceScope(service);
      const node = state.nodes.find((n) => hostname(n) === name) ?? state.nodes.find((n) => n.ID.startsWith(name));
      if (node) return nodeScope(node);
      return undefined;
    };

    const openCommand = (text: string) => {
      const [word, ...args] = text.trim().replace(/^:/, '').split(/\s+/);
      const name = word.toLowerCase();
      if (name === 'q' || name === 'quit' || name === 'q!') return exit();
      if (name === 'help') return patch({ help: true });
      const found = viewCommand(name);
      if (!found) return status(`unknown command ":${word}"; try ${VIEW_COMMANDS.map((c) => `:${c.name}`).join(', ')}, :help, :q`);
      const named = args[0];
      const target = named ? findScope(named) : undefined;
      if (named && !target && found.target) return status(`no service or node named "${named}"`);
      const open = (next: View) => (view.kind === next.kind && view.scope?.id === next.scope?.id ? undefined : push(next));
      switch (found.view) {
        case 'tasks': {
          const scope = target ?? selectedScope() ?? view.scope;
          if (!scope || (scope.kind !== 'service' && scope.kind !== 'node')) return status(':tasks needs a service or node: select one first, or give its name (:tasks NAME)');
          return open({ kind: 'tasks', scope });
        }
        case 'logs': {
          const scope = target ?? (view.kind === 'tasks' ? taskScope() : undefined) ?? selectedScope() ?? view.scope;
          if (!scope || (scope.kind !== 'service' && scope.kind !== 'task')) return status(':logs needs a service or task: select one first, or give its name (:logs NAME)');
          return open({ kind: 'logs', scope });
        }
        case 'events': {
          const scope = target ?? (named ? undefined : selectedScope());
          return open({ kind: 'events', scope: scope && scope.kind !== 'swarm' ? scope : undefined });
        }
        case 'inspect': {
          const scope = found.name === 'swarm' ? SWARM_SCOPE : target ?? selectedScope() ?? SWARM_SCOPE;
          return open({ kind: 'inspect', scope });
        }
        case 'nodes':
        case 'services':
          return goTo({ kind: found.view });
        default:
          return open({ kind: found.view });
      }
    };

    const submitPrompt = () => {
      const prompt = ui.prompt!;
      if (prompt.kind === 'command') {
        patch({ prompt: undefined });
        openCommand(prompt.text);
      } else if (prompt.kind === 'filter') {
        patch({ prompt: undefined });
      } else if (prompt.kind === 'search' && view.kind === 'inspect') {
        patch((u) => ({ prompt: undefined, inspect: { ...u.inspect, search: prompt.text, match: 0 } }));
        jumpToInspectMatch(0, prompt.text);
      } else if (prompt.kind === 'search') {
        patch((u) => ({ prompt: undefined, logs: { ...u.logs, search: prompt.text, match: 0 } }));
        jumpToMatch(0, prompt.text);
      } else if (prompt.kind === 'confirm') {
        patch({ prompt: undefined });
        if (prompt.text !== prompt.expected) return status(`"${prompt.text}" is not ${prompt.expected}: nothing was sent`);
        runConfirmed(prompt.command!, prompt.target!);
      } else if (prompt.kind === 'scale') {
        const replicas = parseReplicas(prompt.text);
        if (typeof replicas === 'string') {
          patch({ prompt: { ...prompt, error: replicas } });
          return;
        }
        patch({ prompt: undefined });
        const service = state.services.find((s) => s.ID === prompt.target);
        if (service) void swarmActions.scale(ctx, service, replicas);
      }
    };

    const matches = (search: string) => {
      const needle = search.toLowerCase();
      const lines = store.getSnapshot().logs.lines;
      const out: number[] = [];
      if (!needle) return out;
      for (let i = lines.length - 1; i >= 0; i--) if (lines[i].text.toLowerCase().includes(needle)) out.push(i);
      return out;
    };
    const jumpToMatch = (index: number, search = ui.logs.search) => {
      const found = matches(search);
      if (found.length === 0) {
        if (search) status(`no line matches /${search}`);
        return;
      }
      const i = ((index % found.length) + found.length) % found.length;
      const lines = store.getSnapshot().logs.lines.length;
      // Put the match at the bottom of the pane, and stop following so it stays there.
      patch((u) => ({ logs: { ...u.logs, match: i, follow: false, scroll: lines - 1 - found[i] } }));
      status(`match ${i + 1} of ${found.length} for /${search}`, 'info');
    };

    const command = (id: CommandId) => {
      if (refuseIfReadOnly(id)) return;
      const service = selectedService();
      const node = selectedNode();
      switch (id) {
        case 'quit':
          return exit();
        case 'command':
          return patch({ prompt: { kind: 'command', label: ':', text: '' } });
        case 'filter':
          return patch({ prompt: { kind: 'filter', label: '/', text: ui.filters[key] ?? '' } });
        case 'help':
          return patch((u) => ({ help: !u.help, helpScroll: 0 }));
        case 'back':
          if (ui.help) return patch({ help: false });
          if (ui.filters[key]) return patch((u) => ({ filters: { ...u.filters, [key]: '' } }));
          if (ui.stack.length > 1) return patch((u) => ({ stack: u.stack.slice(0, -1) }));
          return;
        case 'view.nodes':
          return goTo({ kind: 'nodes' });
        case 'view.services':
          return goTo({ kind: 'services' });
        case 'view.stacks':
          return goTo({ kind: 'stacks' });
        case 'view.map':
          return goTo({ kind: 'map' });
        case 'view.events':
          return goTo({ kind: 'events' });
        case 'inspect':
          return push({ kind: 'inspect', scope: selectedScope() ?? SWARM_SCOPE });
        case 'events': {
          const scope = selectedScope();
          return push({ kind: 'events', scope: scope && scope.kind !== 'swarm' ? scope : undefined });
        }
        case 'inspect.format':
          return patch((u) => ({ inspect: { ...u.inspect, format: u.inspect.format === 'yaml' ? 'json' : 'yaml', scroll: 0 } }));
        case 'inspect.reveal':
          status(ui.inspect.reveal ? 'secret-looking values masked again' : 'secret-looking values revealed: x masks them again', 'info');
          return patch((u) => ({ inspect: { ...u.inspect, reveal: !u.inspect.reveal } }));
        case 'inspect.search':
          return patch({ prompt: { kind: 'search', label: 'search /', text: ui.inspect.search } });
        case 'inspect.next':
          return jumpToInspectMatch(ui.inspect.match + 1);
        case 'inspect.previous':
          return jumpToInspectMatch(ui.inspect.match - 1);
        case 'map.left':
        case 'map.right':
          return moveOnMap(id === 'map.left' ? -1 : 1);
        case 'tasks.rollback': {
          const scoped = view.scope?.kind === 'service' ? state.services.find((s) => s.ID === view.scope!.id) : undefined;
          if (!scoped) return status('Ctrl+L here rolls back the service whose tasks these are: open a service\'s tasks');
          if (!scoped.PreviousSpec) return status(`${scoped.Spec.Name} has no previous spec: there is nothing to roll back to`);
          return patch({ confirm: { title: `Roll back ${scoped.Spec.Name} to its previous spec?`, lines: rollbackChanges(scoped, ui.inspect.reveal), command: 'service.rollback', target: scoped.ID } });
        }
        case 'drill.node': {
          const nodes = mapNodes(state);
          const target = node ?? (view.kind === 'map' ? nodes[Math.max(0, nodes.findIndex((n) => n.ID === ui.selection.map))] : undefined);
          if (!target) return;
          return void sync.drill(target.Status.State === 'ready' ? 'node-down' : 'node-up', target.ID);
        }
        case 'drill.image': {
          if (!service) return;
          const image = service.Spec.TaskTemplate?.ContainerSpec?.Image ?? '';
          const broken = brokenImages.current.has(image);
          if (broken) brokenImages.current.delete(image);
          else brokenImages.current.add(image);
          return void sync.drill(broken ? 'fix-image' : 'break-image', service.ID);
        }
        case 'drill.quorum': {
          // Without a leader the node list cannot be read (it shows the last one): the manager's error says it.
          const leaderless = /does not have a leader/.test(state.connection.error ?? '') || !state.nodes.some((n) => n.ManagerStatus?.Leader);
          return void sync.drill(leaderless ? 'regain-quorum' : 'lose-quorum');
        }
        case 'view.actions':
          return view.kind === 'actions' ? undefined : push({ kind: 'actions' });
        case 'up':
        case 'down':
        case 'pageUp':
        case 'pageDown':
        case 'top':
        case 'bottom':
          if (ui.help) {
            // Help longer than the screen scrolls; the view under it stays where it was.
            const page = Math.max(1, bodyHeight - 2);
            const step = { up: -1, down: 1, pageUp: -page, pageDown: page, top: -1e6, bottom: 1e6 }[id];
            return patch((u) => ({ helpScroll: Math.max(0, Math.min(200, u.helpScroll + step)) }));
          }
          return move(id);
        case 'open':
          if (view.kind === 'services' && service) return push({ kind: 'tasks', scope: serviceScope(service) });
          if (view.kind === 'stacks' && selectedKey) return push({ kind: 'services', scope: { kind: 'stack', id: selectedKey, name: selectedKey } });
          if (view.kind === 'contexts' && selectedKey) {
            void sync.switchContext(selectedKey).then((switched) => switched && goTo({ kind: 'services' }));
            return status(`switching to context ${selectedKey}...`, 'info');
          }
          if (view.kind === 'map') {
            const scope = selectedScope();
            return scope ? push({ kind: 'tasks', scope }) : undefined;
          }
          if (view.kind === 'networks' || view.kind === 'configs' || view.kind === 'secrets' || view.kind === 'events') {
            const scope = selectedScope();
            return scope ? push({ kind: 'inspect', scope }) : undefined;
          }
          if (view.kind === 'nodes' && node) return push({ kind: 'tasks', scope: nodeScope(node) });
          if (view.kind === 'tasks') {
            const scope = taskScope();
            if (scope) return push({ kind: 'logs', scope });
          }
          return;
        case 'service.scale': {
          if (!service) return;
          const refusal = scaleRefusal(service);
          if (refusal) return status(refusal);
          const now = service.Spec.Mode?.Replicated?.Replicas ?? 1;
          return patch({ prompt: { kind: 'scale', label: `scale ${service.Spec.Name} (now ${now}) to: `, text: '', target: service.ID } });
        }
        case 'service.restart':
          if (!service) return;
          return patch({
            confirm: {
              title: `Restart ${service.Spec.Name}?`,
              lines: [
                `Every task is replaced (docker service update --force ${service.Spec.Name}),`,
                `${service.Spec.UpdateConfig?.Parallelism ?? 1} at a time, as its update config says.`,
              ],
              command: id,
              target: service.ID,
            },
          });
        case 'service.rollback':
          if (!service) return;
          if (!service.PreviousSpec) return status(`${service.Spec.Name} has no previous spec: there is nothing to roll back to`);
          return patch({
            confirm: {
              title: `Roll back ${service.Spec.Name} to its previous spec?`,
              lines: rollbackChanges(service, ui.inspect.reveal),
              command: id,
              target: service.ID,
            },
          });
        case 'service.logs':
          if (service) push({ kind: 'logs', scope: serviceScope(service) });
          return;
        case 'task.logs': {
          const scope = taskScope();
          if (scope) push({ kind: 'logs', scope });
          return;
        }
        case 'node.promote':
          if (!node) return;
          if (node.Spec.Role === 'manager') return status(`${hostname(node)} is already a manager`);
          void swarmActions.role(ctx, node, 'manager');
          return;
        case 'node.demote': {
          if (!node) return;
          const refusal = demoteRefusal(node, state.nodes);
          if (refusal) return status(refusal);
          const risk = quorumRisk(node, state.nodes);
          if (risk) {
            return patch({
              confirm: {
                title: `Demoting ${hostname(node)} breaks raft quorum`,
                lines: [risk, `Bring the unreachable managers back first. To demote anyway: y, then type ${hostname(node)}.`],
                command: id,
                target: node.ID,
                typeToConfirm: hostname(node),
              },
            });
          }
          const remain = state.nodes.filter((n) => n.Spec.Role === 'manager').length - 1;
          const tolerate = Math.max(0, remain - quorumOf(remain));
          return patch({
            confirm: {
              title: `Demote ${hostname(node)} to worker?`,
              lines: [`It leaves the raft; ${remain} manager${remain === 1 ? '' : 's'} remain, which tolerate ${tolerate} lost.`],
              command: id,
              target: node.ID,
            },
          });
        }
        case 'node.drain':
          if (!node) return;
          if (node.Spec.Availability === 'drain') return status(`${hostname(node)} is already drained`);
          void drainPreview(node);
          return;
        case 'node.pause':
          if (!node) return;
          return patch({
            confirm: { title: `Pause ${hostname(node)}?`, lines: ['Its tasks keep running; no new tasks are scheduled on it.'], command: id, target: node.ID },
          });
        case 'node.activate':
          if (!node) return;
          if (node.Spec.Availability === 'active') return status(`${hostname(node)} is already active`);
          void swarmActions.availability(ctx, node, 'active');
          return;
        case 'logs.follow':
          patch((u) => ({ logs: { ...u.logs, follow: !u.logs.follow, scroll: 0 } }));
          if (!ui.logs.follow && view.scope) sync.setLogs(view.scope, { follow: true, tail: 200 });
          return;
        case 'logs.timestamps':
          return patch((u) => ({ logs: { ...u.logs, timestamps: !u.logs.timestamps } }));
        case 'logs.wrap':
          return patch((u) => ({ logs: { ...u.logs, wrap: !u.logs.wrap } }));
        case 'logs.search':
          return patch({ prompt: { kind: 'search', label: 'search /', text: ui.logs.search } });
        case 'logs.next':
          return jumpToMatch(ui.logs.match + 1);
        case 'logs.previous':
          return jumpToMatch(ui.logs.match - 1);
      }
    };

    const drainPreview = async (node: SwarmNode) => {
      let lines: string[];
      try {
        const tasks = (await sync.client.listTasks({ node: node.ID })).filter((t) => t.DesiredState === 'running');
        const services = new Map(store.getSnapshot().services.map((s) => [s.ID, s]));
        // A service created a moment ago may not be in the list yet: its spec decides where its tasks can go.
        for (const id of new Set(tasks.map((t) => t.ServiceID))) {
          const fetched = services.has(id) ? undefined : await sync.client.inspectService(id).catch(() => undefined);
          if (fetched) services.set(id, fetched);
        }
        // Replicated tasks are rescheduled elsewhere; a global service's task just stops on a drained node.
        const global = (t: (typeof tasks)[number]) => Boolean(services.get(t.ServiceID)?.Spec.Mode?.Global);
        const list = (items: typeof tasks) => {
          const names = items.map((t) => (global(t) ? services.get(t.ServiceID)?.Spec.Name ?? t.ServiceID : taskName(t, services)));
          return names.slice(0, 8).join(', ') + (names.length > 8 ? `, and ${names.length - 8} more` : '');
        };
        const moving = tasks.filter((t) => !global(t));
        const stopping = tasks.filter(global);
        lines = [`${moving.length} task${moving.length === 1 ? '' : 's'} will move to other nodes${moving.length ? ':' : '.'}`];
        if (moving.length) lines.push(list(moving));
        // Per service: whether constraints and capacity leave anywhere for them to go.
        const byService = new Map<string, number>();
        for (const t of moving) byService.set(t.ServiceID, (byService.get(t.ServiceID) ?? 0) + 1);
        const nodes = store.getSnapshot().nodes;
        const stuck: string[] = [];
        let fewest = Infinity;
        for (const [id, count] of byService) {
          const places = placesFor(services.get(id), nodes, node.ID);
          const name = services.get(id)?.Spec.Name ?? id.slice(0, 12);
          if (places.problem) stuck.push(`${name} (${count}): ${places.problem}`);
          else fewest = Math.min(fewest, places.count);
        }
        for (const line of stuck) lines.push(`! ${line}`);
        if (moving.length && stuck.length === 0) lines.push(`Every one has somewhere to go: ${fewest === Infinity ? 0 : fewest}+ other nodes fit each service's constraints and reservations.`);
        if (stopping.length) lines.push(`${stopping.length} global task${stopping.length === 1 ? '' : 's'} will stop here: ${list(stopping)}`);
      } catch (error) {
        lines = [`(could not list its tasks: ${(error as Error).message})`];
      }
      if (node.ManagerStatus) lines.push(`${hostname(node)} stays a manager: a drain moves tasks only, raft membership and quorum do not change.`);
      patch({ confirm: { title: `Drain ${hostname(node)}?`, lines, command: 'node.drain', target: node.ID } });
    };

    const inspectMatches = (search: string) => {
      const needle = search.toLowerCase();
      const { lines } = inspectText(store.getSnapshot(), uiRef.current);
      const out: number[] = [];
      if (needle) lines.forEach((line, i) => line.toLowerCase().includes(needle) && out.push(i));
      return out;
    };
    const jumpToInspectMatch = (index: number, search = ui.inspect.search) => {
      const found = inspectMatches(search);
      if (found.length === 0) {
        if (search) status(`nothing matches /${search}`);
        return;
      }
      const i = ((index % found.length) + found.length) % found.length;
      // The match a few lines below the top, with its context above it.
      patch((u) => ({ inspect: { ...u.inspect, match: i, scroll: Math.max(0, found[i] - 3) } }));
      status(`match ${i + 1} of ${found.length} for /${search}`, 'info');
    };

    const moveOnMap = (delta: number) => {
      const nodes = mapNodes(state);
      if (nodes.length === 0) return;
      const at = Math.max(0, nodes.findIndex((n) => n.ID === ui.selection.map));
      const next = nodes[Math.max(0, Math.min(nodes.length - 1, at + delta))];
      patch((u) => ({ selection: { ...u.selection, map: next.ID } }));
    };

    const move = (id: 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom') => {
      if (view.kind === 'inspect') {
        const total = inspectText(state, ui).lines.length;
        const page = Math.max(1, bodyHeight - 1);
        const scroll = ui.inspect.scroll;
        const next = { up: scroll - 1, down: scroll + 1, pageUp: scroll - page, pageDown: scroll + page, top: 0, bottom: total - bodyHeight }[id];
        return patch((u) => ({ inspect: { ...u.inspect, scroll: Math.max(0, Math.min(Math.max(0, total - bodyHeight), next)) } }));
      }
      if (view.kind === 'map') {
        const columns = mapColumns(width);
        const delta = { up: -1, down: 1, pageUp: -columns, pageDown: columns, top: -Infinity, bottom: Infinity }[id];
        return moveOnMap(Number.isFinite(delta) ? delta : delta < 0 ? -1e9 : 1e9);
      }
      if (view.kind === 'logs') {
        const total = state.logs.lines.length;
        const page = Math.max(1, bodyHeight - 1);
        const scroll = ui.logs.scroll;
        const next = { up: scroll + 1, down: scroll - 1, pageUp: scroll + page, pageDown: scroll - page, top: total - 1, bottom: 0 }[id];
        const clamped = Math.max(0, Math.min(Math.max(0, total - 1), next));
        // Scrolling back pauses follow; returning to the end (G) resumes it.
        patch((u) => ({ logs: { ...u.logs, scroll: clamped, follow: clamped === 0 && (id === 'bottom' || u.logs.follow) } }));
        return;
      }
      const page = Math.max(1, bodyHeight - 2);
      const next = { up: selectedIndex - 1, down: selectedIndex + 1, pageUp: selectedIndex - page, pageDown: selectedIndex + page, top: 0, bottom: rows.length - 1 }[id];
      select(next);
    };

      const press = { input, key: keyInfo };
      if (ui.confirm) {
        if (input === 'y' || input === 'Y' || keyInfo.return) {
          const { command: id, target, typeToConfirm } = ui.confirm;
          if (typeToConfirm) {
            // The second confirmation: typed, so that a bounced or repeated key cannot pass it.
            patch({ confirm: undefined, prompt: { kind: 'confirm', label: `type ${typeToConfirm} to go ahead (Esc cancels): `, text: '', target, expected: typeToConfirm, command: id } });
            return;
          }
          patch({ confirm: undefined });
          runConfirmed(id, target);
        } else if (input === 'n' || input === 'N' || keyInfo.escape) {
          patch({ confirm: undefined });
          status('cancelled: nothing was sent', 'info');
        }
        return;
      }
      if (ui.prompt) {
        const prompt = ui.prompt;
        if (keyInfo.escape) {
          if (prompt.kind === 'filter') patch((u) => ({ prompt: undefined, filters: { ...u.filters, [key]: '' } }));
          else patch({ prompt: undefined });
          if (prompt.kind === 'confirm') status('cancelled: nothing was sent', 'info');
          return;
        }
        if (keyInfo.return) return submitPrompt();
        let text = prompt.text;
        if (keyInfo.backspace || keyInfo.delete) text = text.slice(0, -1);
        else if (keyInfo.ctrl && input === 'u') text = '';
        else if (!keyInfo.ctrl && !keyInfo.meta && input && !/[\u0000-\u001f]/.test(input)) text += input;
        else return;
        const next = { ...prompt, text, error: undefined };
        if (prompt.kind === 'filter') patch((u) => ({ prompt: next, filters: { ...u.filters, [key]: text } }));
        else patch({ prompt: next });
        return;
      }
      if (keyInfo.ctrl && input === 'c') return exit();
      const binding = match(view.kind, press, onSimulator(state));
      if (binding) command(binding.id);
  };

  // Ink hands over a whole read at once: keys typed fast, pasted, or sent by tmux arrive as one
  // string ("js", "4\r"). Split it into single keys so that each one is matched on its own.
  useInput((input, keyInfo) => {
    if (input.length <= 1 || input.startsWith('\u001b') || keyInfo.ctrl || keyInfo.meta) return handleKey(input, keyInfo);
    for (const press of splitKeys(input)) handleKey(press.input, { ...keyInfo, ...press.key });
  });

  // The frame is derived at render time from the same state the key handler reads.
  const list = useMemo(
    () => (isListView(view.kind) ? listModel(view, state, now(), state.counts) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view, state.nodes, state.services, state.tasks, state.loaded, state.counts, tick],
  );
  const rows = useMemo(() => (list ? filterRows(list.rows, ui.filters[key]) : []), [list, ui.filters, key]);
  const selectedIndex = Math.max(0, rows.findIndex((r) => r.key === ui.selection[key]));
  const selectedKey = rows[selectedIndex]?.key;

  // Per-node task counts are fetched for the rows on screen only: at 1,000 nodes, not 50,000 tasks.
  let visibleNodes: string[] = [];
  if (view.kind === 'nodes') {
    const start = windowStart(selectedIndex, rows.length, bodyHeight - 1);
    visibleNodes = rows.slice(start, start + bodyHeight - 1).map((r) => r.key);
  } else if (view.kind === 'map') {
    const nodes = mapNodes(state);
    const columns = mapColumns(width);
    const start = mapOffset(Math.max(0, nodes.findIndex((n) => n.ID === ui.selection.map)), nodes.length, columns);
    visibleNodes = nodes.slice(start, start + columns).map((n) => n.ID);
  }
  const visibleKey = visibleNodes.join(',');
  const pollNodes = view.kind === 'map';
  useEffect(() => {
    sync.setVisibleNodes(visibleKey ? visibleKey.split(',') : [], pollNodes);
  }, [visibleKey, pollNodes, sync]);

  return (
    <Screen
      state={state}
      ui={{ ...ui, selection: { ...ui.selection, [key]: selectedKey } }}
      width={width}
      height={height}
      now={now()}
      readOnly={readOnly}
      counts={state.counts}
    />
  );
}
