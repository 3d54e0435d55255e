import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

let c: TestConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

// Frames are rendered by the console through dockerode against the simulator, on its manual
// clock with a fixed seed, so every id, age and log line is the same on every run.
const sizes = [
  [80, 24],
  [120, 40],
] as const;

describe.each(sizes)('at %ix%i', (width, height) => {
  // The console uses one row less than the terminal (Ink clears the screen for taller frames).
  const open = () => startConsole({ width, height: height - 1 });

  test('the services view', async () => {
    c = await open();
    // With the CPU and MEM figures (sampled a moment after the list): at 80 columns they are hidden once they are in.
    const frame = await c.waitFor(
      (f) => f.includes('flaskontesting') && (f.split('\n').filter((l) => /\d\.\d%/.test(l)).length === 6 || f.includes('CPU, MEM, PORTS')),
    );
    expect(frame.split('\n')).toHaveLength(height - 1);
    await expect(frame).toMatchFileSnapshot(`__snapshots__/services-${width}x${height}.txt`);
  });

  test('the nodes view', async () => {
    c = await open();
    await c.waitFor('flaskontesting');
    await c.press(':', 'n', 'o', 'd', 'e', 's', KEY.enter);
    const frame = await c.waitFor(
      (f) => f.includes('Nodes (5)') && /core-01.*\b4$/m.test(f) && f.split('\n').filter((l) => /^core-0\d .*\d%\s+\d+%/.test(l)).length === 5,
      10_000,
    );
    await expect(frame).toMatchFileSnapshot(`__snapshots__/nodes-${width}x${height}.txt`);
  });

  test('the tasks view of a service, with history rows', async () => {
    c = await open();
    await c.waitFor('flaskontesting');
    await c.press('G', KEY.enter);
    const frame = await c.waitFor(
      // The service's use line is there at every width (all three tasks in it); the columns only where they fit.
      (f) =>
        f.includes('\\_ web.1') &&
        /^CPU .*MEM .*MiB$/m.test(f) &&
        (f.split('\n').filter((l) => /^web\.\d .*\d\.\d%/.test(l)).length === 3 || f.includes('CPU, MEM hidden')),
    );
    await expect(frame).toMatchFileSnapshot(`__snapshots__/tasks-${width}x${height}.txt`);
  });

  test('the logs view of a service', async () => {
    c = await open();
    await c.waitFor('flaskontesting');
    await c.press('l');
    // tail 200 per task, 3 tasks: wait for all of it so that a chunked stream cannot change the frame.
    const frame = await c.waitFor('600 lines');
    await expect(frame).toMatchFileSnapshot(`__snapshots__/logs-${width}x${height}.txt`);
  });
});
