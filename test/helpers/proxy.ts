import { createConnection, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A unix-socket proxy in front of a manager that records every request line it passes on. */
export interface RecordingProxy {
  /** The DOCKER_HOST that reaches the manager through the proxy. */
  host: string;
  /** Request paths (with their query) in the order they were sent. */
  paths: string[];
  /** Request targets as sent (method, then path and query, not decoded), in order. */
  targets: string[];
  /** Everything clients sent, as text (request lines, headers, bodies). */
  sent: string[];
  close(): Promise<void>;
}

/** Starts a proxy to the unix socket `target`; what the console asks the manager for is then visible to the test. */
export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-proxy-'));
  const socket = join(dir, 'proxy.sock');
  const paths: string[] = [];
  const targets: string[] = [];
  const sent: string[] = [];
  const open = new Set<{ destroy(): void }>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    open.add(client).add(upstream);
    client.on('data', (chunk) => {
      // Request lines only: bodies (a service spec) never start with a method and a slash.
      for (const m of chunk.toString('latin1').matchAll(/^(GET|POST|HEAD|DELETE|PUT) (\/\S*)/gm)) {
        paths.push(decodeURIComponent(m[2]));
        targets.push(`${m[1]} ${m[2]}`);
      }
      sent.push(chunk.toString('latin1'));
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    paths,
    targets,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold the server open.
        for (const socket of open) socket.destroy();
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}
