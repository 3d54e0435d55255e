import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the fake engine answers the paths it is told to break. */
export type BadAnswer = 'truncated' | 'malformed' | 'deep' | 'endless' | 'slow' | 'not-a-list' | 'shapeless';

/** An engine on a unix socket that passes requests on to a real one (a simulator), except the paths it is told to answer badly. */
export interface FakeEngine {
  host: string;
  /** Breaks the answers to paths matching `path` (without the version prefix), or mends them (undefined). */
  breakPath(path: RegExp, how: BadAnswer | undefined): void;
  /** Bytes written by endless answers so far: stops growing once the client hangs up. */
  endlessBytes(): number;
  close(): Promise<void>;
}

/** Starts a fake engine in front of the simulator socket `target`. */
export async function fakeEngine(target: string): Promise<FakeEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-fake-engine-'));
  const socket = join(dir, 'engine.sock');
  const broken: { path: RegExp; how: BadAnswer }[] = [];
  let endless = 0;
  const open = new Set<{ destroy(): void }>();
  const bad = (how: BadAnswer, res: ServerResponse) => {
    const json = { 'Content-Type': 'application/json' };
    switch (how) {
      case 'slow':
        return; // never answers
      case 'truncated':
        res.writeHead(200, { ...json, 'Content-Length': '4000' });
        res.write('[{"ID":"abc","Spec":{"Name":"cut');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      case 'malformed':
        res.writeHead(200, json);
        return res.end('[{"ID":"abc","Spec":{"Name":"x"}},{"ID":');
      case 'deep':
        res.writeHead(200, json);
        return res.end(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
      case 'not-a-list':
        res.writeHead(200, json);
        return res.end('{"message":"all is well"}');
      case 'shapeless':
        res.writeHead(200, json);
        return res.end('[{"ID":"abc"}]');
      case 'endless': {
        res.writeHead(200, json);
        res.write('[');
        const chunk = `${'{"ID":"abcdefghijklmnopqrstuvwxy","Spec":{"Name":"again"}},'.repeat(200)}`;
        const more = () => {
          if (res.destroyed || res.writableEnded) return;
          endless += chunk.length;
          if (res.write(chunk)) setImmediate(more);
          else res.once('drain', more);
        };
        return more();
      }
    }
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').replace(/^\/v\d+\.\d+/, '').split('?')[0];
    const rule = broken.find((b) => b.path.test(path));
    if (rule) return bad(rule.how, res);
    const upstream = request({ socketPath: target, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      // As the engine does for its streams (events, logs): the headers go at once, before any event.
      res.flushHeaders();
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    breakPath(path, how) {
      const at = broken.findIndex((b) => b.path.source === path.source);
      if (at >= 0) broken.splice(at, 1);
      if (how) broken.push({ path, how });
    },
    endlessBytes: () => endless,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}
