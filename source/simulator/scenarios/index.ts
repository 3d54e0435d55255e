import { errors } from '../errors.js';
import { Fleet, type EngineRecord } from '../model/fleet.js';
import { Swarm } from '../model/swarm.js';
import type { ServiceSpec } from '../model/types.js';

/** Which swarm to build, and how. */
export interface ScenarioOptions {
  scenario?: string;
  seed?: number;
  /** For `large`. */
  nodes?: number;
  services?: number;
  replicas?: number;
  /** For `blank`: the engines' hostnames (default node-01..node-05). */
  names?: string[];
  /** Told what is being built, stage by stage (a large swarm takes seconds). */
  onProgress?: (text: string) => void;
}

/** The scenarios `swarmdeck sim --scenario` accepts, with a line on each. */
export const SCENARIOS: Record<string, string> = {
  tutorial: 'the Swarm walkthrough cluster: core-01..05, flaskontesting, redis, counter, the getstartedlab stack',
  empty: 'a one-manager swarm with no services',
  blank: 'engines not yet in a swarm (--names a,b,c; default node-01..node-05): start from docker swarm init',
  large: 'a swarm at scale: --nodes N (1000) --services M (500) --replicas R (100)',
};

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND_NS = 1_000_000_000;

/** Builds a scenario's swarm, with history, settled at `now`. */
export function buildScenario(options: ScenarioOptions & { now: number }): Swarm {
  const name = options.scenario ?? 'tutorial';
  if (!(name in SCENARIOS)) {
    throw errors.badParameter(`unknown scenario "${name}"; valid scenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  }
  if (name === 'blank') throw errors.badParameter('the blank scenario has no swarm yet: build it with buildFleet');
  if (name === 'large') return large(options);
  // The cluster is made two hours in the past and run forward, so tasks have ages and history.
  const swarm = new Swarm({ seed: options.seed ?? 1, now: options.now - 2 * HOUR });
  addSwarmNetworks(swarm);
  if (name === 'empty') {
    swarm.addNode({ hostname: 'manager-01', role: 'manager' });
  } else {
    tutorial(swarm, options.now);
  }
  swarm.advanceTo(options.now);
  return swarm;
}

function network(swarm: Swarm, name: string, extra: Record<string, unknown> = {}) {
  return swarm.addNetwork({ Name: name, Driver: 'overlay', ...extra }).ID;
}

function addSwarmNetworks(swarm: Swarm) {
  network(swarm, 'ingress', { Ingress: true, Labels: null });
}

/** The engines of a scenario: one per node of its swarm, or for `blank` the named engines, none in a swarm. */
export function buildFleet(options: ScenarioOptions & { now: number }): { fleet: Fleet; swarm?: Swarm } {
  const fleet = new Fleet(options.now, options.seed ?? 1);
  if (options.scenario === 'blank') {
    const names = options.names ?? ['node-01', 'node-02', 'node-03', 'node-04', 'node-05'];
    const bad = names.find((n) => !/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$/.test(n));
    if (bad !== undefined || names.length === 0) throw errors.badParameter(`--names must be hostnames separated by commas, not "${bad ?? ''}"`);
    if (new Set(names).size !== names.length) throw errors.badParameter('--names must not repeat a hostname');
    for (const name of names) seedImages(fleet.addEngine(name));
    return { fleet };
  }
  return { fleet, swarm: fleetOf(fleet, buildScenario(options)) };
}

/** Gives every node of a swarm its engine in the fleet. */
export function fleetOf(fleet: Fleet, swarm: Swarm): Swarm {
  for (const node of swarm.nodes.values()) seedImages(fleet.addEngine(node.hostname, { swarm, nodeId: node.id }));
  return swarm;
}

/** The images a fresh engine has, so that a learner's first `docker service create` finds one (there is no registry). */
function seedImages(engine: EngineRecord) {
  for (const image of ['nginx:latest', 'redis:latest', 'busybox:latest', 'alpine:latest']) engine.images.add(image);
}

const replicated = (
  name: string,
  image: string,
  replicas: number,
  extra: { env?: string[]; ports?: [number, number][]; networks?: string[]; labels?: Record<string, string>; update?: ServiceSpec['UpdateConfig'] } = {},
): ServiceSpec => ({
  Name: name,
  Labels: extra.labels ?? {},
  TaskTemplate: {
    ContainerSpec: { Image: image, ...(extra.env ? { Env: extra.env } : {}), Init: false, DNSConfig: {}, Isolation: 'default' },
    Resources: { Limits: {}, Reservations: {} },
    Placement: {},
    ForceUpdate: 0,
    ...(extra.networks ? { Networks: extra.networks.map((Target) => ({ Target })) } : {}),
  },
  Mode: { Replicated: { Replicas: replicas } },
  ...(extra.update ? { UpdateConfig: extra.update } : {}),
  EndpointSpec: {
    Mode: 'vip',
    ...(extra.ports
      ? {
          Ports: extra.ports.map(([published, target]) => ({
            Protocol: 'tcp' as const,
            TargetPort: target,
            PublishedPort: published,
            PublishMode: 'ingress' as const,
          })),
        }
      : {}),
  },
});

function tutorial(swarm: Swarm, now: number) {
  const gib = 1024 ** 3;
  swarm.addNode({ hostname: 'core-01', role: 'manager', labels: { zone: 'a' }, memoryBytes: 8 * gib, nanoCpus: 4e9 });
  swarm.addNode({ hostname: 'core-02', role: 'worker', labels: { zone: 'a' } });
  swarm.addNode({ hostname: 'core-03', role: 'worker', labels: { zone: 'b' } });
  swarm.addNode({ hostname: 'core-04', role: 'worker', labels: { zone: 'b' } });
  swarm.addNode({ hostname: 'core-05', role: 'manager', labels: { zone: 'c' }, memoryBytes: 8 * gib, nanoCpus: 4e9 });
  const backend = network(swarm, 'backend', { Attachable: true });
  const webnet = network(swarm, 'getstartedlab_webnet', { Labels: { 'com.docker.stack.namespace': 'getstartedlab' } });
  const stack = { 'com.docker.stack.namespace': 'getstartedlab', 'com.docker.stack.image': 'p0bailey/get-started:part2' };
  swarm.secrets.set('k3x9d2wq8m1p0z7v5b4n6c2ta', {
    ID: 'k3x9d2wq8m1p0z7v5b4n6c2ta',
    Version: { Index: 11 },
    CreatedAt: new Date(swarm.now).toISOString(),
    UpdatedAt: new Date(swarm.now).toISOString(),
    Spec: { Name: 'redis_password', Labels: {} },
  });
  swarm.configs.set('q8w7e6r5t4y3u2i1o0p9a8s7d', {
    ID: 'q8w7e6r5t4y3u2i1o0p9a8s7d',
    Version: { Index: 12 },
    CreatedAt: new Date(swarm.now).toISOString(),
    UpdatedAt: new Date(swarm.now).toISOString(),
    Spec: { Name: 'nginx_conf', Labels: {}, Data: Buffer.from('server { listen 80; }\n').toString('base64') },
  });

  swarm.createService(replicated('flaskontesting', 'p0bailey/docker-flask:latest', 5, { ports: [[80, 80]] }));
  swarm.createService(replicated('redis', 'redis:latest', 1, { networks: [backend] }));
  swarm.createService(
    replicated('counter', 'subicura/counter:latest', 3, {
      env: ['REDIS_HOST=redis', 'REDIS_PASSWORD=counter-demo-pass'],
      ports: [[4568, 4567]],
      networks: [backend],
    }),
  );
  swarm.createService(
    replicated('getstartedlab_web', 'p0bailey/get-started:part2', 5, {
      ports: [[4000, 80]],
      networks: [webnet],
      labels: stack,
      update: { Parallelism: 1, Delay: 10 * SECOND_NS, FailureAction: 'rollback', Monitor: 5 * SECOND_NS, MaxFailureRatio: 0, Order: 'stop-first' },
    }),
  );
  const global: ServiceSpec = {
    ...replicated('node-exporter', 'prom/node-exporter:v1.8.1', 0),
    Mode: { Global: {} },
  };
  swarm.createService(global);
  // `web` was updated from 1.25 to 1.27 an hour ago: its PreviousSpec makes a rollback possible at once.
  swarm.createService(
    replicated('web', 'nginx:1.25-alpine', 2, { env: ['LOG_LEVEL=debug'], ports: [[8080, 80]], update: { Parallelism: 2, Order: 'start-first' } }),
  );
  swarm.advanceTo(now - HOUR);
  const web = [...swarm.services.values()].find((s) => s.spec.Name === 'web')!;
  const next = structuredClone(web.spec);
  next.TaskTemplate!.ContainerSpec!.Image = 'nginx:1.27-alpine';
  next.TaskTemplate!.ContainerSpec!.Env = ['LOG_LEVEL=info'];
  next.Mode = { Replicated: { Replicas: 3 } };
  swarm.updateService(web.id, web.version, next, false);
  swarm.advanceTo(now - 30 * MINUTE);
}

function large(options: ScenarioOptions & { now: number }): Swarm {
  const nodes = options.nodes ?? 1000;
  const services = options.services ?? 500;
  const replicas = options.replicas ?? 100;
  for (const [flag, value, min] of [
    ['--nodes', nodes, 1],
    ['--services', services, 0],
    ['--replicas', replicas, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min || value > 100_000) {
      throw errors.badParameter(`${flag} must be a whole number from ${min} to 100000, not ${value}`);
    }
  }
  const swarm = new Swarm({ seed: options.seed ?? 1, now: options.now - HOUR });
  const count = (n: number) => n.toLocaleString('en-US');
  const what = `${count(nodes)} nodes, ${count(services)} services, ${count(services * replicas)} tasks`;
  options.onProgress?.(`starting the simulated swarm (${what}): creating them...`);
  addSwarmNetworks(swarm);
  const managers = Math.min(3, nodes);
  swarm.batch(() => {
    for (let i = 1; i <= nodes; i++) {
      const name = `${i <= managers ? 'mgr' : 'node'}-${String(i).padStart(4, '0')}`;
      swarm.addNode({
        hostname: name,
        role: i <= managers ? 'manager' : 'worker',
        labels: { rack: `r${i % 20}` },
        memoryBytes: 64 * 1024 ** 3,
        nanoCpus: 16e9,
      });
    }
    const images = ['nginx:1.27-alpine', 'redis:7', 'p0bailey/docker-flask:latest', 'subicura/counter:latest', 'busybox:1.36'];
    for (let i = 1; i <= services; i++) {
      const stack = `stack${String(Math.ceil(i / 10)).padStart(3, '0')}`;
      swarm.createService(
        replicated(`${stack}_svc${String(i).padStart(4, '0')}`, images[i % images.length], replicas, {
          labels: { 'com.docker.stack.namespace': stack },
        }),
      );
    }
    options.onProgress?.(`starting the simulated swarm (${what}): placing the tasks...`);
  });
  options.onProgress?.(`starting the simulated swarm (${what}): running its last hour...`);
  swarm.advanceTo(options.now);
  return swarm;
}
