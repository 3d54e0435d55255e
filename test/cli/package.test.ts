import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The package as a user gets it: packed, installed offline into a fresh prefix, run from there.
// Nothing of this checkout (node_modules, overrides, scripts) is reachable from the installed copy.
const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
let dir: string;
let tarball: string;
let bin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-pack-'));
  await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root });
  tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.tgz'))!,
  );
  const prefix = join(dir, 'prefix');
  await run('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball]);
  bin = join(prefix, 'bin', 'swarmdeck');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the installed package', () => {
  test('has no install scripts and no dependencies to fetch', async () => {
    const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
    const pkg = JSON.parse(stdout);
    expect(Object.keys(pkg.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
    expect(pkg.dependencies ?? {}).toEqual({});
    const { stdout: files } = await run('tar', ['-tzf', tarball]);
    expect(files).toMatch(/^package\/LICENSE$/m);
    // Only what ships: the bundle, its source maps and the library's types.
    expect(files.split('\n').filter((f) => f && !/^package\/(LICENSE|README\.md|package\.json|dist\/.+\.(js|js\.map|d\.ts))$/.test(f))).toEqual([]);
  });

  test('prints its version and its help', async () => {
    expect((await run(bin, ['--version'])).stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    expect((await run(bin, ['--help'])).stdout).toMatch(/Usage/);
  });

  test('shows the services of a simulated swarm', async () => {
    const { stdout } = await run(bin, ['--sim', '--once', '--view', 'services']);
    expect(stdout).toMatch(/^ Services \(6\)/m);
    expect(stdout).toMatch(/^redis\s/m);
  });

  test('runs with npx from the tarball', async () => {
    const { stdout } = await run('npx', ['--offline', '--yes', '--package', tarball, 'swarmdeck', '--version'], { cwd: dir });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("exports the simulator to other projects' tests, with its types", async () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"uses-swarmdeck","type":"module","private":true}');
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project });
    writeFileSync(
      join(project, 'check.mjs'),
      `import { request } from 'node:http';
import { startSimulatedSwarm } from 'swarmdeck/simulator';
const swarm = await startSimulatedSwarm({ scenario: 'tutorial' });
const get = (path) => new Promise((resolve, reject) => request({ socketPath: new URL(swarm.host).pathname, path }, (res) => {
  let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve(JSON.parse(body)));
}).on('error', reject).end());
const services = await get('/v1.41/services');
const said = await swarm.drill('node-down', 'core-03');
const down = (await get('/v1.41/nodes')).find((n) => n.Description.Hostname === 'core-03').Status.State;
await swarm.close();
console.log(JSON.stringify({ services: services.length, said, down }));
`,
    );
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ services: 6, said: expect.stringContaining('core-03 is down'), down: 'down' });
    const types = readFileSync(join(project, 'node_modules/swarmdeck/dist/types/simulator/library.d.ts'), 'utf8');
    expect(types).toMatch(/export declare function startSimulatedSwarm\(options\?: SimulatedSwarmOptions\): Promise<SimulatedSwarm>/);
  });
});
