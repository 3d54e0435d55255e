import type Docker from 'dockerode';

/** A reply as the engine sent it: status and decoded body (JSON, or text). */
export interface WireReply {
  status: number;
  body: any;
}

/** A request through dockerode's own transport (so it works over any DOCKER_HOST), with the status and body as sent back. */
export function raw(docker: Docker, method: string, path: string, body?: unknown): Promise<WireReply> {
  const modem = docker.modem as unknown as { dial: (o: object, cb: (e: any, d: any) => void) => void };
  const url = new URL(path, 'http://swarm');
  const options: Record<string, unknown> = { _query: Object.fromEntries(url.searchParams) };
  if (body !== undefined) options._body = body;
  return new Promise((resolve) =>
    modem.dial({ path: `${url.pathname}?`, method, options, statusCodes: { 200: true, 201: true, 204: true } }, (error, data) =>
      resolve(error ? { status: error.statusCode, body: error.json ?? { message: String(error.message ?? '') } } : { status: 200, body: data }),
    ),
  );
}

/** A Docker client for a DOCKER_HOST value (unix:// or tcp://). */
export async function dockerFor(host: string): Promise<Docker> {
  const { default: DockerClass } = await import('dockerode');
  if (host.startsWith('unix://')) return new DockerClass({ socketPath: host.slice(7) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new DockerClass({ host: url.hostname, port: Number(url.port) });
}
