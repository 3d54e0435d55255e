import type { SwarmNode } from '../../docker/types.js';
import type { CommandId } from '../../keymap/bindings.js';
import { demoteRefusal, hostname, quorumRisk } from '../../store/checks.js';
import { faultTolerance } from '../../swarm/quorum.js';
import { ordinal } from '../present/format.js';
import type { CommandHandler } from './commands.js';
import { selectedNode, type KeyContext } from './context.js';
import { drainPreview } from './drain-preview.js';
import { batch, markedOf } from './marks.js';

const ref = (node: SwarmNode) => ({ id: node.ID, name: hostname(node) });

/** Handlers of the nodes view's commands (and the node drill, also on the map). */
export const NODE_COMMANDS = {
  'node.promote': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    if (node.Spec.Role === 'manager') return c.status(`${hostname(node)} is already a manager`);
    const request = { verb: 'role', node: ref(node), role: 'manager' } as const;
    const after = c.state.nodes.filter((n) => n.Spec.Role === 'manager').length + 1;
    if (after % 2 === 0) {
      // An even count tolerates no more lost managers than one fewer, and there is one more to lose.
      return {
        request,
        title: `Promote ${hostname(node)} to a ${ordinal(after)} manager?`,
        lines: [
          `${after} managers tolerate ${faultTolerance(after)} lost, as ${after - 1} do: an even count adds no fault tolerance.`,
          `Promote one more as well (${after + 1} tolerate ${faultTolerance(after + 1)}), or keep ${after - 1}.`,
        ],
        confirm: true,
      };
    }
    return { request, title: `Promote ${hostname(node)}?` };
  },
  'node.demote': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    const nodes = c.state.nodes;
    const refusal = demoteRefusal(node, nodes);
    if (refusal) return c.status(refusal);
    const request = { verb: 'role', node: ref(node), role: 'worker' } as const;
    const risk = quorumRisk(node, nodes);
    if (risk) {
      return {
        request,
        title: `Demoting ${hostname(node)} breaks raft quorum`,
        lines: [risk, `Bring the unreachable managers back first. To demote anyway: y, then type ${hostname(node)}.`, ...connectedThrough(c, node, 'demote')],
        typeToConfirm: hostname(node),
      };
    }
    const remain = nodes.filter((n) => n.Spec.Role === 'manager').length - 1;
    return {
      request,
      title: `Demote ${hostname(node)} to worker?`,
      lines: [
        `It leaves the raft; ${remain} manager${remain === 1 ? ' remains, which tolerates' : 's remain, which tolerate'} ${faultTolerance(remain)} lost.`,
        ...connectedThrough(c, node, 'demote'),
      ],
    };
  },
  'node.drain': (c) => {
    const marked = markedOf(c, c.state.nodes, (n) => n.ID);
    if (marked.length > 0) {
      const requests = marked
        .filter((n) => n.Spec.Availability !== 'drain')
        .map((n) => ({ verb: 'availability', node: ref(n), availability: 'drain' }) as const);
      return batch(c, 'Drain', requests, 'Their tasks move to the other nodes.') ?? c.status('every marked node is already drained');
    }
    const node = selectedNode(c);
    if (!node) return;
    if (node.Spec.Availability === 'drain') return c.status(`${hostname(node)} is already drained`);
    return drainPreview(c, node).then(
      (lines) =>
        ({
          request: { verb: 'availability', node: ref(node), availability: 'drain' },
          title: `Drain ${hostname(node)}?`,
          lines: [...lines, ...connectedThrough(c, node, 'drain')],
        }) as const,
    );
  },
  'node.pause': (c) => {
    const marked = markedOf(c, c.state.nodes, (n) => n.ID);
    if (marked.length > 0) {
      const requests = marked.map((n) => ({ verb: 'availability', node: ref(n), availability: 'pause' }) as const);
      return batch(c, 'Pause', requests, 'Their tasks keep running; no new tasks are scheduled on them.');
    }
    const node = selectedNode(c);
    if (!node) return;
    return {
      request: { verb: 'availability', node: ref(node), availability: 'pause' },
      title: `Pause ${hostname(node)}?`,
      lines: ['Its tasks keep running; no new tasks are scheduled on it.'],
    };
  },
  'node.activate': (c) => {
    const marked = markedOf(c, c.state.nodes, (n) => n.ID);
    if (marked.length > 0) {
      const requests = marked
        .filter((n) => n.Spec.Availability !== 'active')
        .map((n) => ({ verb: 'availability', node: ref(n), availability: 'active' }) as const);
      return batch(c, 'Activate', requests) ?? c.status('every marked node is already active');
    }
    const node = selectedNode(c);
    if (!node) return;
    if (node.Spec.Availability === 'active') return c.status(`${hostname(node)} is already active`);
    return { request: { verb: 'availability', node: ref(node), availability: 'active' }, title: `Activate ${hostname(node)}?` };
  },
  'drill.node': (c) => {
    const target = selectedNode(c);
    if (!target) return;
    void c.sync.drill(target.Status.State === 'ready' ? 'node-down' : 'node-up', target.ID);
  },
} satisfies Partial<Record<CommandId, CommandHandler>>;

/**
 * What a change to the manager this console talks to does to the console itself, said before it is
 * made: a worker cannot list the swarm, so after a demotion the console needs another manager.
 */
function connectedThrough(c: KeyContext, node: SwarmNode, change: 'demote' | 'drain'): string[] {
  if (!c.state.info?.Swarm?.NodeID || c.state.info.Swarm.NodeID !== node.ID) return [];
  const others = c.state.nodes.filter((n) => n.ID !== node.ID && n.Spec.Role === 'manager').map((n) => hostname(n));
  if (change === 'drain') return [`This console is connected through ${hostname(node)}: drained, it stays a manager, so the console keeps working.`];
  return [
    `This console is connected through ${hostname(node)}: once it is a worker it cannot list the swarm.`,
    'The console then moves to another manager by itself (given with -H, or reached as nodes are).',
    ...(others.length > 0 ? [`If none answers, start it again with ${others.map((h) => `-H ssh://${h}`).join(' or ')}.`] : []),
  ];
}
