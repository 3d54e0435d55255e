import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors.js';
import type { EngineRecord, Fleet } from '../model/fleet.js';
import type { Swarm } from '../model/swarm.js';
import { decodeBody } from './decode.js';
import { API_VERSION, ENGINE_VERSION } from './shapes.js';

/** HTTP plumbing of the simulated engine: what a handler gets, how replies and errors are written, bodies read. */

/** What a handler needs: the engine it is served as, its swarm, the clock's ticks (for follow streams), and the request. */
export interface Context {
  /** The swarm of the engine; routes that need a manager only run when it has one. */
  swarm: Swarm;
  /** The engine (one simulated dockerd) this socket answers as. */
  engine: EngineRecord;
  fleet: Fleet;
  /** Registers a callback run after every clock advance; returns its remover. */
  onTick: (callback: () => void) => () => void;
  /** Where a named engine of the simulation is reached (GET /swarmdeck/engines). */
  addressOf: (hostname: string) => { Host?: string; Headers?: Record<string, string> };
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

/** A route's handler: a JSON-able value (200), a Reply, or STREAMED. */
export type Handler = (ctx: Context) => unknown | Promise<unknown>;

/** A reply with a status other than 200, or a body that is not JSON. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType: string | null = 'application/json',
  ) {}
}

/** An empty 200, as dockerd answers updates and removals. */
export const EMPTY = () => new Reply(200, '', null);

/** Marks a handler that wrote the response itself (streams). */
export const STREAMED = Symbol('streamed');

/** The largest request body taken (dockerd's own limit is larger; no swarm spec comes near it). */
const MAX_BODY = 4 * 1024 * 1024;

/** The headers dockerd sends with every answer. */
export const BASE_HEADERS = {
  'Api-Version': API_VERSION,
  'Docker-Experimental': 'false',
  Ostype: 'linux',
  Server: `Docker/${ENGINE_VERSION} (linux)`,
};

/** A boolean query parameter as dockerd reads one (1, true; empty, 0 and false are false). */
export const bool = (query: URLSearchParams, key: string) => {
  const v = query.get(key);
  return v !== null && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
};

/** The ?version= an update must give. */
export function versionParam(query: URLSearchParams, kind: string): number {
  const raw = query.get('version') ?? '';
  if (!/^\d+$/.test(raw)) throw errors.invalidVersion(kind, raw);
  return Number(raw);
}

/** The body decoded as dockerd decodes it into the named Go type (see decode.ts). */
export async function decoded(ctx: Context, root: Parameters<typeof decodeBody>[0]): Promise<Record<string, unknown>> {
  return decodeBody(root, await ctx.body());
}

/** Writes a whole reply. */
export function send(res: ServerResponse, status: number, body: unknown, contentType: string | null): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  const headers: Record<string, string | number> = { ...BASE_HEADERS, 'Content-Length': Buffer.byteLength(text) };
  if (contentType) headers['Content-Type'] = contentType;
  // After a body too large the rest of it is not read: the connection is closed rather than drained.
  if (status === 413) headers.Connection = 'close';
  res.writeHead(status, headers);
  res.end(text, () => {
    if (status === 413) res.socket?.destroy();
  });
}

/** Writes an error as dockerd does (JSON message, or plain text for the few plain ones); a stream already started is cut. */
export function sendError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.plain) send(res, error.status, `${error.message}\n`, 'text/plain; charset=utf-8');
  else send(res, error.status, { message: error.message }, 'application/json');
}

/** Reads the request body once, as JSON, within MAX_BODY. */
export function readBody(req: IncomingMessage): () => Promise<unknown> {
  let cached: Promise<unknown> | undefined;
  return () =>
    (cached ??= new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(errors.bodyTooLarge());
          req.removeAllListeners('data');
          req.pause();
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', reject);
      req.on('end', () => {
        if (size > MAX_BODY) return;
        const text = Buffer.concat(chunks).toString('utf8').trim();
        if (text === '') return resolve(undefined);
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(errors.badJson(`invalid character in JSON body: ${(error as Error).message}`));
        }
      });
    }));
}
