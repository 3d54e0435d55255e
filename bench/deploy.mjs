// swarmdeck deploy of a 100-service compose file on the large scenario: the plan alone, and applying it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs the deploy rows. */
export async function deployRows({ startSim, row, round, cli, dir }) {
  const sim = await startSim('deploy', ['--scenario', 'large']);
  const file = join(dir, 'hundred.yml');
  const services = Array.from(
    { length: 100 },
    (_, i) => `  svc${i}:\n    image: nginx:1.27-alpine\n    deploy:\n      replicas: 2\n    networks: [net${i % 10}]\n`,
  ).join('');
  const networks = Array.from({ length: 10 }, (_, i) => `  net${i}: {}\n`).join('');
  writeFileSync(file, `services:\n${services}networks:\n${networks}`);
  const run = (...args) => {
    const t0 = performance.now();
    const result = spawnSync(process.execPath, [cli, 'deploy', '-c', file, ...args, 'hundred'], {
      env: { ...process.env, DOCKER_HOST: sim.host },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`deploy ${args.join(' ')} failed: ${result.stderr}`);
    return performance.now() - t0;
  };
  const plan = run('--dry-run');
  const apply = run('-y', '--detach');
  const again = run('-y', '--detach');
  row('deploy', 'plan of a 100-service compose file (large scenario, --dry-run)', round(plan), 'ms', '', '<= 3000 ms', plan <= 3000);
  row('deploy', 'plan and apply it (-y --detach: 10 networks, 100 services)', round(apply), 'ms', '', '<= 10000 ms', apply <= 10000);
  row('deploy', 'the same file again: all unchanged, nothing sent', round(again), 'ms', '', '', true);
  sim.stop();
}
