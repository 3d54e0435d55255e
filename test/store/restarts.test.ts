import { describe, expect, test } from 'vitest';
import type { SwarmTask } from '../../source/docker/types.js';
import { countRestarts, restartsText } from '../../source/store/sync/restarts.js';
import { crashLooping } from '../../source/ui/present/rows.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const failed = (slot: number, secondsAgo: number, err = 'task: non-zero exit (255)'): SwarmTask =>
  ({
    ID: `${slot}-${secondsAgo}`,
    ServiceID: 's',
    Slot: slot,
    DesiredState: 'shutdown',
    Status: { State: 'failed', Err: err, Timestamp: new Date(NOW - secondsAgo * 1000).toISOString() },
  }) as SwarmTask;

const service = (tasks: SwarmTask[]) => ({ ID: 's', Version: { Index: 1 }, Spec: {}, Restarts: countRestarts(tasks, NOW) });

describe('restarts from the task history', () => {
  test('a node that went down restarts several slots once each: restarts, not a crash loop', () => {
    const tasks = [failed(1, 30), failed(2, 30), failed(3, 31), failed(4, 29)];
    expect(countRestarts(tasks, NOW)).toMatchObject({ count: 4, worstSlot: 1 });
    expect(crashLooping(service(tasks))).toBe(false);
  });

  test('one slot restarted three times in ten minutes is a crash loop, and the newest exit is named', () => {
    const tasks = [failed(1, 300), failed(1, 200), failed(1, 100, 'task: non-zero exit (3)'), failed(2, 900)];
    expect(countRestarts(tasks, NOW)).toMatchObject({ count: 3, worstSlot: 3, lastError: 'task: non-zero exit (3)' });
    expect(crashLooping(service(tasks))).toBe(true);
  });

  test('exits older than ten minutes are not counted', () => {
    expect(countRestarts([failed(1, 700), failed(1, 800)], NOW)).toBeUndefined();
  });
});

describe('restarts against the current spec, and past what dockerd keeps', () => {
  const withSpec = (task: SwarmTask, image: string) => ({ ...task, Spec: { ContainerSpec: { Image: image } } }) as SwarmTask;

  test('exits of the old spec do not count once the service has a new one: the fix ends the crash loop', () => {
    const tasks = [failed(1, 60), failed(1, 50), failed(1, 40)].map((t) => withSpec(t, 'app:1'));
    expect(countRestarts(tasks, NOW, { ContainerSpec: { Image: 'app:1' } })).toMatchObject({ count: 3 });
    expect(countRestarts(tasks, NOW, { ContainerSpec: { Image: 'app:2' } })).toBeUndefined();
  });

  test('a slot with as many ended tasks as dockerd keeps is a floor, with a rate: "4+ restarts in 10m, every ~11s"', () => {
    const tasks = [failed(1, 44), failed(1, 33), failed(1, 22), failed(1, 11)];
    const r = countRestarts(tasks, NOW)!;
    expect(restartsText(r)).toBe('4+ restarts in 10m, every ~11s');
    expect(restartsText(countRestarts(tasks.slice(1), NOW)!)).toBe('3 restarts in 10m');
  });
});
