import { Box, Text } from 'ink';
import { SWARM_SCOPE, type ClusterState } from '../../store/state.js';
import { Highlighted } from '../components/highlighted.js';
import type { SwarmTask } from '../../docker/types.js';
import { diskComment } from '../present/disk.js';
import { oomText } from '../present/oom.js';
import { taskComment } from '../present/sparkline.js';
import { sampleable } from '../present/stats.js';
import { oomCandidates } from '../../store/sync/oom.js';
import { inspectLines } from '../present/yaml.js';
import { inert, truncate } from '../sanitize.js';
import { plannedEntry, plannedObject } from './deploy.js';
import { theme } from '../theme.js';
import type { UiState } from '../ui-state.js';
import { wrapIndex } from './shared.js';
import type { ViewContext, ViewEnv, ViewSpec } from './types.js';

/** The inspect view's lines as shown (format and masking from the UI state), or why there are none. */
export function inspectText(state: ClusterState, ui: UiState): { lines: string[]; note?: string } {
  const inspect = state.inspect;
  const view = ui.stack[ui.stack.length - 1];
  if (view.scope?.kind === 'plan') {
    // An object a plan would create: what would be sent, from the plan on screen (the swarm has no such object yet).
    const entry = plannedEntry(ui.deploy, view.scope);
    if (!entry) return { lines: [], note: `cannot inspect ${view.scope.name}: that plan is no longer shown` };
    return { lines: inspectLines(plannedObject(entry), ui.inspect.format, ui.inspect.reveal).map(inert) };
  }
  // What was inspected before is not shown as this object while it loads.
  if (!inspect || inspect.scope.kind !== view.scope?.kind || inspect.scope.id !== view.scope?.id) return { lines: [], note: 'loading...' };
  if (inspect.error) return { lines: [], note: `cannot inspect ${inspect.scope.kind} ${inspect.scope.name}: ${inspect.error}` };
  if (inspect.object === undefined) return { lines: [], note: 'loading...' };
  const lines = inspectLines(inspect.object, ui.inspect.format, ui.inspect.reveal).map(inert);
  // A node's disk use leads its YAML, as comments (JSON has none: it stays the object alone); a task's CPU and memory too.
  if (view.scope?.kind === 'node' && ui.inspect.format === 'yaml') return { lines: [...diskComment(state, view.scope).map(inert), ...lines] };
  if (view.scope?.kind === 'task' && ui.inspect.format === 'yaml') {
    const task = inspect.object as SwarmTask;
    return { lines: [...taskComment(task, state.stats, oomText(task, state.oomKills)).map(inert), ...lines] };
  }
  return { lines };
}

/** The lines as drawn at `width`: wrapped (w), continuation lines indented, or each as it is (then scrolled sideways). */
export function shownLines(state: ClusterState, ui: UiState, width: number): { lines: string[]; note?: string } {
  const text = inspectText(state, ui);
  if (!ui.inspect.wrap || width < 8) return text;
  const lines: string[] = [];
  for (const line of text.lines) {
    if (line.length <= width) {
      lines.push(line);
      continue;
    }
    const indent = ' '.repeat(Math.min(line.length - line.trimStart().length + 2, Math.floor(width / 2)));
    lines.push(line.slice(0, width));
    for (let at = width; at < line.length; at += width - indent.length) lines.push(indent + line.slice(at, at + width - indent.length));
  }
  return { lines, note: text.note };
}

/** YAML or JSON of one object, scrolled from the top, search matches highlighted. */
function InspectBody({ env }: { env: ViewEnv }) {
  const { state, ui, width, bodyHeight: height } = env;
  const { lines, note } = shownLines(state, ui, width);
  const widest = lines.reduce((w, l) => Math.max(w, l.length), 0);
  // Unwrapped, long lines are seen through a window moved by left/right; a ~ at the edge says there is more.
  const shift = ui.inspect.wrap ? 0 : Math.max(0, Math.min(ui.scrollX, widest - width));
  if (note) {
    return (
      <Box height={height}>
        <Text color={note.startsWith('cannot') ? theme.bad : theme.dim}>{truncate(note, width)}</Text>
      </Box>
    );
  }
  const top = Math.max(0, Math.min(ui.inspect.scroll, Math.max(0, lines.length - height)));
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(top, top + height).map((line, i) => (
        <Highlighted key={i} text={truncate(shift > 0 ? `~${line.slice(shift + 1)}` : line, width)} search={ui.inspect.search} />
      ))}
    </Box>
  );
}

/** Scrolls the inspect text to the `index`th line containing `search` (wrapping). */
export function jumpToInspectMatch(c: ViewContext, index: number, search = c.ui.inspect.search): void {
  const needle = search.toLowerCase();
  const { lines } = shownLines(c.state, c.currentUi(), c.width);
  const found: number[] = [];
  if (needle) lines.forEach((line, i) => line.toLowerCase().includes(needle) && found.push(i));
  if (found.length === 0) {
    if (search) c.status(`nothing matches /${search}`);
    return;
  }
  const i = wrapIndex(index, found.length);
  // The match a few lines below the top, with its context above it.
  c.patch((u) => ({ inspect: { ...u.inspect, match: i, scroll: Math.max(0, found[i] - 3) } }));
  c.status(`match ${i + 1} of ${found.length} for /${search}`, 'info');
}

/** Any object (or the swarm itself) as YAML or JSON, read fresh, secrets masked until x. */
export const inspectView: ViewSpec = {
  kind: 'inspect',
  pane: {
    title({ view, ui }) {
      const scope = view.scope;
      const title =
        scope?.kind === 'swarm'
          ? ' Inspect the swarm '
          : scope?.kind === 'plan'
            ? ` Inspect ${inert(scope.name)}, to be created: the spec :deploy would send `
            : ` Inspect ${scope?.kind ?? ''} ${inert(scope?.name ?? '')} `;
      const right = [
        ui.inspect.format,
        ui.inspect.reveal ? 'secrets revealed' : 'secrets masked',
        ui.inspect.wrap ? 'wrapped' : '',
        ui.inspect.search ? `/${ui.inspect.search}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return { title, right };
    },
    Body: InspectBody,
    contentRows: ({ state, ui, width }) => Math.max(1, shownLines(state, ui, width).lines.length),
    move(c, id) {
      const total = shownLines(c.state, c.ui, c.width).lines.length;
      const page = Math.max(1, c.bodyHeight - 1);
      const scroll = c.ui.inspect.scroll;
      const next = { up: scroll - 1, down: scroll + 1, pageUp: scroll - page, pageDown: scroll + page, top: 0, bottom: total - c.bodyHeight }[id];
      c.patch((u) => ({ inspect: { ...u.inspect, scroll: Math.max(0, Math.min(Math.max(0, total - c.bodyHeight), next)) } }));
    },
  },
  selected: (c) => c.view.scope,
  fromCommand: ({ named, selected }) => ({ kind: 'inspect', scope: named ?? selected ?? SWARM_SCOPE }),
  search(c, text) {
    c.patch((u) => ({ prompt: undefined, inspect: { ...u.inspect, search: text, match: 0 } }));
    jumpToInspectMatch(c, 0, text);
  },
  // A plan's object is not read from the manager: the plan on screen holds it.
  // A running task's CPU and memory are sampled while its detail is shown (its sparklines go on).
  needs: ({ view, state }) => {
    const task = view.scope?.kind === 'task' && state.inspect?.scope.id === view.scope.id ? (state.inspect.object as SwarmTask | undefined) : undefined;
    const target = task?.Status ? sampleable(task) : undefined;
    return {
      inspect: view.scope?.kind === 'plan' ? undefined : view.scope,
      engine: view.scope?.kind === 'node' ? { what: 'disk', nodeId: view.scope.id } : undefined,
      stats: target ? [target] : undefined,
      oom: task?.Status && oomCandidates([task]).length > 0 ? oomCandidates([task]) : undefined,
    };
  },
};
