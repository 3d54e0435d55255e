import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { convertStack } from '../../source/compose/convert.js';
import { loadCompose } from '../../source/compose/load.js';
import { applyPlan, PlanConflict, planStack } from '../../source/compose/plan.js';
import { SwarmClient } from '../../source/docker/client.js';
import { parseHost } from '../../source/docker/connection.js';
import { startTestSwarm, type TestSwarm } from '../helpers/swarm.js';

let swarm: TestSwarm;
let dir: string;
afterEach(async () => {
  await swarm?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an update whose service changed after the plan is refused as a conflict, and the other change stays', async () => {
  swarm = await startTestSwarm({ scenario: 'empty' });
  const client = new SwarmClient({ ...parseHost(swarm.sim.host, {}, undefined), label: 'test' });
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-plan-'));
  const file = (replicas: number) => {
    writeFileSync(join(dir, 'app.yml'), `services:\n  web:\n    image: nginx:latest\n    deploy:\n      replicas: ${replicas}\n`);
    return convertStack(loadCompose([join(dir, 'app.yml')]), 'app');
  };
  await applyPlan(client, await planStack(client, 'app', file(1), false), () => {});
  const plan = await planStack(client, 'app', file(2), false);
  expect(plan.entries.find((e) => e.kind === 'service')?.action).toBe('update');
  // Someone scales it between the plan and the apply.
  const web = [...swarm.sim.swarm.services.values()][0];
  swarm.sim.swarm.updateService(web.id, web.version, { ...structuredClone(web.spec), Mode: { Replicated: { Replicas: 7 } } }, false);
  await expect(applyPlan(client, plan, () => {})).rejects.toBeInstanceOf(PlanConflict);
  expect(web.spec.Mode).toEqual({ Replicated: { Replicas: 7 } });
});
