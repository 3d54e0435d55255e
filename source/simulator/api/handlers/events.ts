import type { SwarmEvent } from '../../model/swarm.js';
import { exactMatch, labelMatch, parseFilters, prefixMatch, type Filters } from '../filters.js';
import { BASE_HEADERS, STREAMED, type Context } from '../http.js';
import { managerOf, nodeOf } from '../membership.js';
import { parseTime } from './time.js';

/** GET /events: history since, then live until, filtered as dockerd filters. */

const EVENT_FILTERS = ['config', 'container', 'daemon', 'event', 'image', 'label', 'network', 'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume'];

/** The event filters. */
export function eventMatcher(filters: Filters): (event: SwarmEvent) => boolean {
  const named = (type: string, key: string, event: SwarmEvent) => event.Type !== type || prefixMatch(filters, key, event.Actor.ID, event.Actor.Attributes.name);
  const otherTypes = ['container', 'image', 'volume', 'network', 'plugin', 'daemon'];
  return (event) =>
    exactMatch(filters, 'type', event.Type) &&
    exactMatch(filters, 'event', event.Action) &&
    exactMatch(filters, 'scope', event.scope) &&
    named('service', 'service', event) &&
    named('node', 'node', event) &&
    named('secret', 'secret', event) &&
    named('config', 'config', event) &&
    named('container', 'container', event) &&
    // Filters on kinds of objects a swarm never reports exclude nothing of swarm scope.
    otherTypes.every((t) => !filters.has(t) || event.Type === t) &&
    labelMatch(filters, 'label', event.Actor.Attributes);
}

/**
 * How much may wait unread in a stream's buffer before it stops producing: a client that never
 * reads costs this much (and a batch), not more. At 256 KB, 100 log followers that never read held
 * 60 MB of buffers in the large scenario; a reading client is refilled at every drain either way.
 */
export const STREAM_BACKLOG = 64 * 1024;

/**
 * GET /events: a manager streams its swarm's events; an engine outside a swarm (or a worker) has none
 * of swarm scope. Every engine in a swarm streams its own containers' events (scope local).
 */
export function events(ctx: Context) {
  const filters = parseFilters(ctx.query.get('filters'), EVENT_FILTERS);
  const manager = managerOf(ctx.engine);
  const node = nodeOf(ctx.engine);
  const swarm = manager ?? (node ? ctx.engine.swarm : undefined);
  const clock = () => swarm?.now ?? ctx.fleet.now;
  const now = clock();
  const since = parseTime(ctx.query.get('since'), 'since', now);
  const until = parseTime(ctx.query.get('until'), 'until', now);
  const filter = eventMatcher(filters);
  const mine = (event: SwarmEvent) =>
    event.scope === 'local' ? node !== undefined && event.Actor.Attributes['com.docker.swarm.node.id'] === node.id : manager !== undefined;
  const match = (event: SwarmEvent) => mine(event) && filter(event);
  const { res } = ctx;
  res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'application/json' });
  res.flushHeaders();
  const history = swarm?.events ?? [];
  // The last event written; while the client is not reading, new ones are left in the swarm's event log and sent from there once it drains.
  let sent = -1;
  let waiting = false;
  const write = (event: SwarmEvent) => {
    sent = event.timeNano;
    res.write(`${JSON.stringify(event)}\n`);
  };
  const catchUp = () => {
    waiting = false;
    for (const event of history) {
      if (res.writableLength > STREAM_BACKLOG) {
        waiting = true;
        return;
      }
      if (event.timeNano > sent && (until === undefined || event.timeNano / 1e6 <= until) && match(event)) write(event);
    }
  };
  if (since !== undefined) {
    for (const event of history) {
      const t = event.timeNano / 1e6;
      if (t >= since && (until === undefined || t <= until) && match(event)) write(event);
    }
  }
  sent = Math.max(sent, history.at(-1)?.timeNano ?? -1);
  if (until !== undefined && until <= now) {
    res.end();
    return STREAMED;
  }
  const stop = () => {
    unsubscribe();
    untick();
    if (!res.writableEnded) res.end();
  };
  const unsubscribe = swarm
    ? swarm.subscribe((event) => {
        if (until !== undefined && event.timeNano / 1e6 > until) return stop();
        if (waiting || res.writableLength > STREAM_BACKLOG) {
          waiting = true;
          return;
        }
        if (match(event)) write(event);
        else sent = event.timeNano;
      })
    : () => undefined;
  res.on('drain', () => {
    if (waiting) catchUp();
  });
  const untick = ctx.onTick(() => {
    if (until !== undefined && clock() > until) stop();
  });
  // The response's close means the client went away (the request's close fires once its body is read).
  res.on('close', stop);
  return STREAMED;
}
