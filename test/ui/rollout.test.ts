import { describe, expect, test } from 'vitest';
import type { SwarmService, SwarmTask } from '../../source/docker/types.js';
import { rollbackChanges } from '../../source/ui/present/diff.js';
import { rolloutLines, whyNotRunning } from '../../source/ui/present/rollout.js';

// The rollout tracker and the rollback preview (issue 16): what they said that was not so.
const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (s: number) => new Date(NOW - s * 1000).toISOString();
const template = (image: string) => ({ ContainerSpec: { Image: image } });

const service = (state: string, extra: Partial<SwarmService['Spec']> = {}): SwarmService => ({
  ID: 'svc',
  Version: { Index: 9 },
  Spec: { Name: 'api', TaskTemplate: template('api:2'), Mode: { Replicated: { Replicas: 3 } }, ...extra },
  UpdateStatus: { State: state, StartedAt: at(30) },
  ServiceStatus: { RunningTasks: 2, DesiredTasks: 3 },
});

const task = (id: string, image: string, state: string, desired = 'running', ago = 10): SwarmTask =>
  ({
    ID: id,
    ServiceID: 'svc',
    Slot: 1,
    DesiredState: desired,
    Spec: template(image),
    CreatedAt: at(ago),
    Status: { State: state, Timestamp: at(ago) },
  }) as SwarmTask;

describe('the rollout tracker', () => {
  test('a rollback shows the RollbackConfig delay, not the UpdateConfig one', () => {
    const s = service('rollback_started', { UpdateConfig: { Delay: 10e9 }, RollbackConfig: { Delay: 2e9 } });
    expect(rolloutLines(s, [], NOW)!.lines[1]).toMatch(/^parallelism 1, delay 2s,/);
  });

  test('a rollback without a RollbackConfig runs by the defaults, not by the UpdateConfig', () => {
    const s = service('rollback_started', { UpdateConfig: { Delay: 10e9, Parallelism: 3 } });
    expect(rolloutLines(s, [], NOW)!.lines[1]).toMatch(/^parallelism 1, delay 0s,/);
  });

  test('"tasks on the new spec" counts only the running ones', () => {
    const tasks = [task('a', 'api:2', 'running'), task('b', 'api:2', 'starting'), task('c', 'api:1', 'running')];
    expect(rolloutLines(service('updating'), tasks, NOW)!.lines[0]).toContain('1/3 tasks on the new spec');
  });

  test("a task is on the new spec only when its whole spec is the service's: a placement change is not an image change", () => {
    const placed = { ContainerSpec: { Image: 'api:2' }, Placement: { Constraints: ['node.labels.zone==b'] } };
    const s = service('updating', { TaskTemplate: placed });
    const tasks = [
      { ...task('a', 'api:2', 'running'), Spec: { Placement: { Constraints: ['node.labels.zone==b'] }, ContainerSpec: { Image: 'api:2' } } },
      task('b', 'api:2', 'running'),
      task('c', 'api:2', 'running'),
    ] as SwarmTask[];
    expect(rolloutLines(s, tasks, NOW)!.lines[0]).toContain('1/3 tasks on the new spec');
    // As dockerd: a task whose node satisfies the new placement is left as it is, and is done.
    const node = (id: string, zone: string) => ({
      ID: id,
      Spec: { Role: 'worker', Labels: { zone } },
      Description: { Hostname: id },
      Status: { State: 'ready' },
    });
    const onNodes = [tasks[0], { ...tasks[1], NodeID: 'nb' }, { ...tasks[2], NodeID: 'na' }] as SwarmTask[];
    expect(rolloutLines(s, onNodes, NOW, [node('na', 'a'), node('nb', 'b')] as any)!.lines[0]).toContain('2/3 tasks on the new spec');
  });
});

describe('the why-block during a rollout', () => {
  test('a task the updater is replacing (stop-first) is not missing: no why-block', () => {
    const tasks = [task('a', 'api:2', 'running'), task('b', 'api:1', 'running'), task('c', 'api:1', 'shutdown', 'shutdown'), task('d', 'api:2', 'preparing')];
    expect(whyNotRunning(service('updating'), tasks, NOW)).toBeUndefined();
  });

  test('a failure since the rollout began is still a reason', () => {
    const failed = { ...task('e', 'api:2', 'rejected', 'shutdown', 5), Status: { State: 'rejected', Err: 'No such image: api:2', Timestamp: at(5) } };
    expect(whyNotRunning(service('updating'), [task('a', 'api:2', 'running'), failed], NOW)!.lines.join('\n')).toContain('No such image: api:2');
  });

  test('a failure from before the rollout is history, not a reason', () => {
    const old = { ...task('f', 'api:1', 'failed', 'shutdown', 600), Status: { State: 'failed', Err: 'task: non-zero exit (1)', Timestamp: at(600) } };
    expect(whyNotRunning(service('updating'), [task('a', 'api:2', 'running'), old], NOW)).toBeUndefined();
  });
});

describe('the rollback preview', () => {
  test('lists every field that changes: update settings by their docker flag, others by path', () => {
    const now = { Name: 'api', TaskTemplate: { ContainerSpec: { Image: 'api:2', Args: ['serve'] } }, UpdateConfig: { Delay: 10e9, Parallelism: 2 } };
    const before = {
      Name: 'api',
      TaskTemplate: { ContainerSpec: { Image: 'api:1', Args: ['serve'], User: 'app' } },
      UpdateConfig: { Delay: 0, Parallelism: 2 },
    };
    const lines = rollbackChanges({ ID: 'x', Version: { Index: 1 }, Spec: now, PreviousSpec: before });
    expect(lines).toEqual(['image: api:2 -> api:1', '+ TaskTemplate.ContainerSpec.User: app', '--update-delay: 10s -> 0s']);
  });
});
