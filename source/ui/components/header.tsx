import { Box, Text } from 'ink';
import { dataStale, managerQuorum, type ClusterState } from '../../store/state.js';
import { humanDuration, truncateFigures } from '../present/format.js';
import { crashLooping, onDownNodes } from '../present/rows.js';
import { inert, truncate } from '../sanitize.js';
import { theme } from '../theme.js';

const age = (ms: number) => humanDuration(ms).toLowerCase();

/** The connection as the header's first line says it: the state first, so a narrow terminal cuts the detail, not the news. */
function connectionText(state: ClusterState, quorum: ReturnType<typeof managerQuorum>, now: number): { text: string; color: string } {
  const { connection } = state;
  // Connected while there was no leader: no node list was ever read, so no count to give.
  const counted = quorum.managers === 0 ? 'the managers cannot be listed without a leader' : `${quorum.reachable} of ${quorum.managers} managers reachable`;
  if (connection.noLeader) return { text: `x no leader: quorum lost (${counted}) for ${age(now - connection.noLeader.since)}`, color: theme.bad };
  if (connection.status === 'connected' && quorum.lost) {
    // The list says so before the API does: a leader without a majority steps down within seconds.
    return { text: `! quorum lost: ${counted}; the leader will step down`, color: theme.bad };
  }
  if (connection.status === 'connected' && connection.error) return { text: `! the manager answers with an error: ${connection.error}`, color: theme.warn };
  if (connection.status === 'connected') return { text: '* connected', color: theme.ok };
  if (connection.status === 'connecting') return { text: '- connecting...', color: theme.warn };
  const retry = connection.retryAt ? Math.max(0, Math.ceil((connection.retryAt - now) / 1000)) : 0;
  return { text: `x disconnected (retry in ${retry}s): ${connection.error ?? 'unreachable'}`, color: theme.bad };
}

/** Which of the header's figures a narrow terminal keeps longest: tasks, nodes, managers, services, engine. */
const KEPT = [2, 1, 3, 0, 4];

/** The header's figures that fit in `width`, each whole: a narrow terminal drops the least telling ones, never half of `tasks 22/24`. */
function wholeFigures(figures: string[], width: number): string {
  const shown = figures.map(() => true);
  const line = () => figures.filter((_, i) => shown[i]).join('  |  ');
  for (const drop of [...KEPT.keys()].sort((a, b) => KEPT[b] - KEPT[a])) {
    if (line().length <= width || shown.filter(Boolean).length === 1) break;
    shown[drop] = false;
  }
  return truncateFigures(line(), width);
}

/** Two rows: the endpoint and the connection; the swarm's figures (managers, nodes, services, tasks, engine). */
export function Header({ state, width, now, readOnly }: { state: ClusterState; width: number; now: number; readOnly: boolean }) {
  const { info, nodes, services } = state;
  // Counted once a frame: at 1,000 nodes each count is a pass over them.
  const quorum = managerQuorum(state);
  const status = connectionText(state, quorum, now);
  const managers = nodes.filter((n) => n.Spec.Role === 'manager');
  const leader = managers.find((n) => n.ManagerStatus?.Leader)?.Description?.Hostname;
  const ready = nodes.filter((n) => n.Status.State === 'ready').length;
  let running = 0;
  let desired = 0;
  let stranded = 0;
  let looping = 0;
  const downNodes = new Set<string>();
  for (const s of services) {
    running += s.ServiceStatus?.RunningTasks ?? 0;
    desired += s.ServiceStatus?.DesiredTasks ?? 0;
    stranded += s.OnDownNodes?.tasks ?? 0;
    if (crashLooping(s)) looping += 1;
    for (const n of s.OnDownNodes?.nodes ?? []) downNodes.add(n);
  }
  // The connection's state is the news: a long endpoint (a socket path) gives way in its middle.
  const endpoint = inert(state.endpoint);
  const room = Math.max(20, width - status.text.length - 12);
  const first = `swarmdeck ${endpoint.length > room ? `${endpoint.slice(0, Math.ceil(room / 2) - 1)}~${endpoint.slice(endpoint.length - Math.floor(room / 2))}` : endpoint}  `;
  const noLeader = Boolean(state.connection.noLeader);
  const quorumLost = quorum.lost;
  // Figures the console can no longer vouch for carry their age first, where no width cuts it off.
  const stale = dataStale(state) && state.connection.lastOk !== undefined ? `data from ${age(now - state.connection.lastOk!)} ago: ` : '';
  const figures = [
    `managers ${managers.length}${leader && !noLeader ? ` (leader ${inert(leader)}${quorumLost ? ', without quorum' : ''})` : ' (no leader)'}`,
    `nodes ${ready}/${nodes.length} ready`,
    `services ${services.length}${looping > 0 ? ` (${looping} crash-looping)` : ''}`,
    `tasks ${running}/${desired}${onDownNodes({ tasks: stranded, nodes: [...downNodes] })}`,
    `engine ${inert(info?.ServerVersion ?? '?')}`,
  ];
  const facts = wholeFigures(figures, Math.max(0, width - (readOnly ? 11 : 0) - stale.length));
  return (
    <Box flexDirection="column" height={2}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {truncate(first, width)}
        </Text>
        <Text color={status.color}>{truncate(status.text, Math.max(0, width - first.length))}</Text>
      </Text>
      <Text wrap="truncate">
        {readOnly ? <Text color={theme.warn}>{'READ-ONLY  '}</Text> : null}
        {stale ? <Text color={theme.warn}>{truncate(stale, width - (readOnly ? 11 : 0))}</Text> : null}
        <Text color={theme.dim}>{facts}</Text>
      </Text>
    </Box>
  );
}
