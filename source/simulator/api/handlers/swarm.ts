import { updateCluster } from '../../model/cluster.js';
import type { InitRequest, JoinRequest } from '../../model/fleet.js';
import { bool, decoded, EMPTY, Reply, versionParam, type Context } from '../http.js';
import { swarmJson } from '../shapes.js';

/** The swarm's own routes: init, join, leave, update (tokens, autolock), the unlock key and unlock. */

/** GET /swarm (with join tokens, as a manager shows them). */
export const inspectSwarm = (ctx: Context) => swarmJson(ctx.fleet, ctx.swarm);

/** POST /swarm/init: answers the new node's id, as a JSON string. */
export async function initSwarm(ctx: Context) {
  const request = (await decoded(ctx, 'InitRequest')) as InitRequest;
  // A JSON string, which the CLI decodes (send() would write a bare string as plain text).
  return new Reply(200, `${JSON.stringify(ctx.fleet.init(ctx.engine, request))}\n`, 'application/json');
}

/** POST /swarm/join. */
export async function joinSwarm(ctx: Context) {
  const request = (await decoded(ctx, 'JoinRequest')) as JoinRequest;
  ctx.fleet.join(ctx.engine, request);
  return EMPTY();
}

/** POST /swarm/leave[?force=1]. */
export function leaveSwarm(ctx: Context) {
  ctx.fleet.leave(ctx.engine, bool(ctx.query, 'force'));
  return EMPTY();
}

/** POST /swarm/update?version=N[&rotateWorkerToken=1&rotateManagerToken=1&rotateManagerUnlockKey=1]. */
export async function updateSwarm(ctx: Context) {
  const version = versionParam(ctx.query, 'swarm');
  const spec = await decoded(ctx, 'SwarmSpec');
  updateCluster(ctx.swarm, version, spec, {
    rotateWorkerToken: bool(ctx.query, 'rotateWorkerToken'),
    rotateManagerToken: bool(ctx.query, 'rotateManagerToken'),
    rotateManagerUnlockKey: bool(ctx.query, 'rotateManagerUnlockKey'),
  });
  return EMPTY();
}

/** GET /swarm/unlockkey: empty while autolock is off, as dockerd answers. */
export const unlockKey = (ctx: Context) => ({ UnlockKey: ctx.swarm.cluster.unlockKey });

/** POST /swarm/unlock. */
export async function unlockSwarm(ctx: Context) {
  const request = await decoded(ctx, 'UnlockRequest');
  ctx.fleet.unlock(ctx.engine, typeof request.UnlockKey === 'string' ? request.UnlockKey : '');
  return EMPTY();
}
