import { parseFilters, prefixMatch, exactMatch, labelMatch } from '../filters.js';
import { bool, decoded, EMPTY, versionParam, type Context } from '../http.js';
import { nodeJson } from '../shapes.js';

/** GET /nodes, /nodes/{id}; node update and removal. */

const NODE_FILTERS = ['id', 'label', 'membership', 'name', 'node.label', 'role'];

/** GET /nodes, with the filters docker node ls sends. */
export function listNodes(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), NODE_FILTERS);
  return [...ctx.swarm.nodes.values()]
    .filter(
      (n) =>
        prefixMatch(filters, 'id', n.id) &&
        prefixMatch(filters, 'name', n.hostname, n.spec.Name) &&
        exactMatch(filters, 'role', n.spec.Role) &&
        exactMatch(filters, 'membership', 'accepted') &&
        labelMatch(filters, 'node.label', n.spec.Labels) &&
        labelMatch(filters, 'label', {}),
    )
    .map(nodeJson);
}

/** GET /nodes/{id}. */
export const getNode = (ctx: Context) => nodeJson(ctx.swarm.node(ctx.params[0]));

/** POST /nodes/{id}/update, its body decoded as Go decodes it. */
export async function updateNode(ctx: Context) {
  const version = versionParam(ctx.query, 'node');
  const body = await decoded(ctx, 'NodeSpec');
  ctx.swarm.updateNode(ctx.params[0], version, body as never);
  return EMPTY();
}

/** DELETE /nodes/{id}. */
export function removeNode(ctx: Context) {
  ctx.swarm.removeNode(ctx.params[0], bool(ctx.query, 'force'));
  return EMPTY();
}
