import type { CommandId } from '../../keymap/bindings.js';
import { demoteRefusal, hostname, quorumRisk, swarmActions } from '../../store/actions.js';
import { faultTolerance } from '../../swarm/quorum.js';
import { mapNodes } from '../panes.js';
import { selectedNode, type KeyContext } from './context.js';
import { drainPreview } from './drain-preview.js';

/** Handlers of the nodes view's commands (and the node drill, also on the map). */
export const NODE_COMMANDS = {
  'node.promote': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    if (node.Spec.Role === 'manager') return c.status(`${hostname(node)} is already a manager`);
    void swarmActions.role(c.actions, node, 'manager');
  },
  'node.demote': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    const nodes = c.state.nodes;
    const refusal = demoteRefusal(node, nodes);
    if (refusal) return c.status(refusal);
    const risk = quorumRisk(node, nodes);
    if (risk) {
      return c.patch({
        confirm: {
          title: `Demoting ${hostname(node)} breaks raft quorum`,
          lines: [risk, `Bring the unreachable managers back first. To demote anyway: y, then type ${hostname(node)}.`],
          command: 'node.demote',
          target: node.ID,
          typeToConfirm: hostname(node),
        },
      });
    }
    const remain = nodes.filter((n) => n.Spec.Role === 'manager').length - 1;
    const tolerate = faultTolerance(remain);
    c.patch({
      confirm: {
        title: `Demote ${hostname(node)} to worker?`,
        lines: [`It leaves the raft; ${remain} manager${remain === 1 ? '' : 's'} remain, which tolerate ${tolerate} lost.`],
        command: 'node.demote',
        target: node.ID,
      },
    });
  },
  'node.drain': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    if (node.Spec.Availability === 'drain') return c.status(`${hostname(node)} is already drained`);
    void drainPreview(c, node).then((lines) => c.patch({ confirm: { title: `Drain ${hostname(node)}?`, lines, command: 'node.drain', target: node.ID } }));
  },
  'node.pause': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    c.patch({
      confirm: {
        title: `Pause ${hostname(node)}?`,
        lines: ['Its tasks keep running; no new tasks are scheduled on it.'],
        command: 'node.pause',
        target: node.ID,
      },
    });
  },
  'node.activate': (c) => {
    const node = selectedNode(c);
    if (!node) return;
    if (node.Spec.Availability === 'active') return c.status(`${hostname(node)} is already active`);
    void swarmActions.availability(c.actions, node, 'active');
  },
  'drill.node': (c) => {
    const nodes = mapNodes(c.state);
    const target =
      selectedNode(c) ??
      (c.view.kind === 'map'
        ? nodes[
            Math.max(
              0,
              nodes.findIndex((n) => n.ID === c.ui.selection.map),
            )
          ]
        : undefined);
    if (!target) return;
    void c.sync.drill(target.Status.State === 'ready' ? 'node-down' : 'node-up', target.ID);
  },
} satisfies Partial<Record<CommandId, (c: KeyContext) => void>>;
