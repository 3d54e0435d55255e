import { afterEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// Issue 23: follow means follow, whichever way the logs view was entered and left.
let c: TestConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** The log rows on screen (`name.slot.task@node | text`, or `service.slot | text` in a stack's logs). */
const logRows = (frame: string) => frame.split('\n').filter((l) => /^[\w-]+\.\d+(?:\.\w+@[\w-]+)? \| /.test(l));

/** New lines arrive on screen: the clock moves, and the newest line the manager sent becomes the bottom row. */
async function following(c: TestConsole): Promise<void> {
  const total = () => c.store.getSnapshot().logs.lines.length + c.store.getSnapshot().logs.dropped;
  const before = total();
  c.swarm.advance(3000);
  await c.waitFor(() => total() > before);
  const newest = c.store.getSnapshot().logs.lines.at(-1)!.text;
  await c.waitFor((f) => logRows(f).at(-1)?.endsWith(newest) ?? false);
  expect(c.frame()).toMatch(/Logs of \w+ [\w.]+ .*follow/);
}

describe('every way into the logs view follows', () => {
  test('l on a service, Enter and l on a task, :logs NAME, l on a stack, :logs STACK', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.selectRow('counter');
    await c.press('l');
    await c.waitFor(/Logs of service counter/);
    await following(c);
    await c.press(KEY.escape);
    await c.waitFor(/^ Services/m);

    // Enter on a service lists its tasks; Enter on a task opens its logs, and so does l.
    await c.selectRow('counter');
    await c.press(KEY.enter);
    await c.waitFor(/^counter\.1 /m);
    await c.press(KEY.enter);
    await c.waitFor(/Logs of task counter\.\d/);
    await following(c);
    await c.press(KEY.escape);
    await c.waitFor(/Tasks of service counter/);
    await c.press('l');
    await c.waitFor(/Logs of task counter\.\d/);
    await following(c);

    await c.press(':', ...'logs counter', KEY.enter);
    await c.waitFor(/Logs of service counter/);
    await following(c);

    // A stack: its services carry com.docker.stack.namespace.
    for (const [name, image] of [
      ['shop_web', 'example/counter:1'],
      ['shop_db', 'redis:7'],
    ]) {
      await c.swarm.docker.createService({
        Name: name,
        Labels: { 'com.docker.stack.namespace': 'shop' },
        TaskTemplate: { ContainerSpec: { Image: image } },
        Mode: { Replicated: { Replicas: 1 } },
      } as any);
    }
    c.swarm.advance(3000);
    await c.press(':', ...'stacks', KEY.enter);
    await c.selectRow('shop');
    await c.press('l');
    await c.waitFor(/Logs of stack shop/);
    await following(c);
    await c.press(':', ...'logs shop', KEY.enter);
    await c.waitFor(/Logs of stack shop/);
    await following(c);
  });
});

describe('every way out of the logs view and back follows again', () => {
  test('after a filter and a step to a match (paused): i, M, ? and : away and back, then G', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.selectRow('counter');
    await c.press('l');
    await c.waitFor('600 lines');
    await c.press('/', ...'counter', KEY.enter);
    await c.press('n');
    await c.waitFor(/Logs of service counter .*paused/);
    // Another view on top, and back.
    await c.press('i');
    await c.waitFor(/Inspect service counter/);
    await c.press(KEY.escape);
    await c.waitFor(/Logs of service counter/);
    await c.press('M');
    await c.waitFor(/Messages/);
    await c.press(KEY.escape);
    await c.waitFor(/Logs of service counter/);
    await c.press('?');
    await c.press(KEY.escape);
    await c.press('G');
    await following(c);

    // Paused again by scrolling back, then i and back, then G.
    await c.press('k');
    await c.waitFor(/Logs of service counter .*paused/);
    await c.press('i', KEY.escape, 'G');
    await following(c);

    // f off and on.
    await c.press('f');
    await c.waitFor(/Logs of service counter .*paused/);
    await c.press('f');
    await following(c);

    // Esc (the filter first, then the view) and l again; q and l again.
    await c.press(KEY.escape);
    await c.waitFor((f) => !/Logs of service counter .*\/counter/.test(f));
    await c.press(KEY.escape);
    await c.waitFor(/^ Services/m);
    await c.press('l');
    await following(c);
    await c.press('q');
    await c.waitFor(/^ Services/m);
    await c.press('l');
    await following(c);
  });

  test('a paused view stays on the lines it shows while new ones arrive, and G goes to the newest', async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    await c.selectRow('counter');
    await c.press('l');
    await c.waitFor('600 lines');
    await c.press('k', 'k', 'k');
    const paused = logRows(await c.waitFor(/paused/));
    c.swarm.advance(5000);
    await c.waitFor(/61\d lines/);
    expect(logRows(c.frame())).toEqual(paused);
    await c.press('G');
    await following(c);
  });
});
