import { Box, Text } from 'ink';
import type { ClusterState } from '../../store/state.js';
import { humanDuration } from '../present/format.js';
import { inert, truncate } from '../sanitize.js';
import { theme } from '../theme.js';

/** The connection as the header's first line says it. */
function connectionText(state: ClusterState, now: number): { text: string; color: string } {
  const { connection } = state;
  if (connection.status === 'connected' && connection.error) {
    const age = connection.lastOk ? ` (data from ${humanDuration(now - connection.lastOk).toLowerCase()} ago)` : '';
    return { text: `! the manager answers with an error: ${connection.error}${age}`, color: theme.warn };
  }
  if (connection.status === 'connected') return { text: '* connected', color: theme.ok };
  if (connection.status === 'connecting') return { text: '- connecting...', color: theme.warn };
  const retry = connection.retryAt ? Math.max(0, Math.ceil((connection.retryAt - now) / 1000)) : 0;
  const age = connection.lastOk ? `, showing data from ${humanDuration(now - connection.lastOk).toLowerCase()} ago` : '';
  return { text: `x disconnected: ${connection.error ?? 'unreachable'} (retry in ${retry}s${age})`, color: theme.bad };
}

/** Two rows: the endpoint and the connection; the swarm's figures (managers, nodes, services, tasks, engine). */
export function Header({ state, width, now, readOnly }: { state: ClusterState; width: number; now: number; readOnly: boolean }) {
  const { info, nodes, services } = state;
  const status = connectionText(state, now);
  const managers = nodes.filter((n) => n.Spec.Role === 'manager');
  const leader = managers.find((n) => n.ManagerStatus?.Leader)?.Description?.Hostname;
  const ready = nodes.filter((n) => n.Status.State === 'ready').length;
  let running = 0;
  let desired = 0;
  for (const s of services) {
    running += s.ServiceStatus?.RunningTasks ?? 0;
    desired += s.ServiceStatus?.DesiredTasks ?? 0;
  }
  const first = `swarmdeck ${inert(state.endpoint)}  `;
  const facts = [
    `managers ${managers.length}${leader ? ` (leader ${inert(leader)})` : ' (no leader)'}`,
    `nodes ${ready}/${nodes.length} ready`,
    `services ${services.length}`,
    `tasks ${running}/${desired}`,
    `engine ${inert(info?.ServerVersion ?? '?')}`,
  ].join('  |  ');
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
        <Text color={theme.dim}>{truncate(facts, width - (readOnly ? 11 : 0))}</Text>
      </Text>
    </Box>
  );
}
