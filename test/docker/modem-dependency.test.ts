import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import util from 'node:util';
import { build } from 'esbuild';
import { expect, test, vi } from 'vitest';
// @ts-expect-error: a build script, plain JavaScript.
import { modemFixes } from '../../scripts/modem-fixes.mjs';

// What ships is the bundle: docker-modem is checked as scripts/bundle.mjs builds it, with the same
// plugin, from the version this checkout resolves (through dockerode, as the console reaches it).
const modemDir = dirname(createRequire(createRequire(import.meta.url).resolve('dockerode')).resolve('docker-modem/package.json'));

test("docker-modem as bundled does not format each request's options (agent and sockets included) unless its debug output is on", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-modem-'));
  writeFileSync(join(dir, 'entry.js'), `module.exports = require(${JSON.stringify(join(modemDir, 'lib/modem.js'))});\n`);
  await build({
    entryPoints: [join(dir, 'entry.js')],
    outfile: join(dir, 'out.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    external: ['cpu-features', '*.node'],
    plugins: [modemFixes],
    logLevel: 'silent',
  });
  const Modem = createRequire(import.meta.url)(join(dir, 'out.cjs'));
  const socketPath = join(dir, 'engine.sock');
  const server = createServer((_req, res) => res.end('OK'));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const inspect = vi.spyOn(util, 'inspect');
  try {
    const modem = new Modem({ socketPath });
    const answer = await new Promise((resolve, reject) =>
      modem.dial({ path: '/_ping', method: 'GET', statusCodes: { 200: true }, options: {} }, (error: Error | null, data: unknown) =>
        error ? reject(error) : resolve(data),
      ),
    );
    expect(String(answer)).toBe('OK');
    expect(inspect.mock.calls.filter(([value]) => (value as { path?: string } | null)?.path === '/_ping')).toEqual([]);
  } finally {
    inspect.mockRestore();
    server.close();
  }
});
