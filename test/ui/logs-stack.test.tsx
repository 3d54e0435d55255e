import { afterEach, describe, expect, test } from 'vitest';
import { LOG_LIMIT } from '../../source/store/sync.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// Issue 26: a stack's logs at once, as stern shows a deployment's.
let c: TestConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const stackRows = (frame: string) => frame.split('\n').filter((l) => /^shop_\w+\.\d+ \| /.test(l));

describe("a stack's logs", () => {
  test("merge every service's lines in time order, each named by service and slot, the filter across all, bounded", async () => {
    c = await startConsole();
    await c.waitFor('flaskontesting');
    const services = [
      ['shop_web', 'example/counter:1', 2],
      ['shop_cache', 'redis:7', 1],
      ['shop_noise', 'example/app:1', 1],
    ] as const;
    for (const [name, image, replicas] of services) {
      await c.swarm.docker.createService({
        Name: name,
        Labels: { 'com.docker.stack.namespace': 'shop' },
        TaskTemplate: { ContainerSpec: { Image: image } },
        Mode: { Replicated: { Replicas: replicas } },
      } as any);
    }
    c.swarm.advance(120_000);
    await c.press(':', ...'stacks', KEY.enter);
    await c.selectRow('shop');
    await c.press('l');
    await c.waitFor(/Logs of stack shop/);
    await c.waitFor((f) => ['shop_web.1', 'shop_web.2', 'shop_noise.1'].every((p) => stackRows(f).some((r) => r.startsWith(`${p} | `))));
    c.swarm.advance(60_000);
    await c.waitFor(() => new Set(c!.store.getSnapshot().logs.lines.map((l) => l.serviceId)).size === 3);
    const { lines } = c.store.getSnapshot().logs;
    // Time order across the services' streams.
    for (let i = 1; i < lines.length; i++) expect(lines[i].time!).toBeGreaterThanOrEqual(lines[i - 1].time!);

    // One filter across every service: the redis saves and the counter's warnings.
    await c.press('/', ...'Saving|WARN', KEY.enter);
    const frame = await c.waitFor(/\/Saving\|WARN \d+ of \d+/);
    const rows = stackRows(frame);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^shop_(web\.\d \| WARN|cache\.1 \| .*(Saving|WARN))/);
    expect(rows.some((r) => r.startsWith('shop_cache.1'))).toBe(true);
    expect(rows.some((r) => r.startsWith('shop_web.'))).toBe(true);

    // :logs STACK opens the same; the buffer stays bounded.
    await c.press(KEY.escape, KEY.escape);
    await c.press(':', ...'logs shop', KEY.enter);
    await c.waitFor(/Logs of stack shop/);
    expect(c.store.getSnapshot().logs.lines.length).toBeLessThanOrEqual(LOG_LIMIT);
  });
});
