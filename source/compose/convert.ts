import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ComposeError, type LoadedCompose } from './load.js';

/**
 * A compose file converted to the objects `docker stack deploy` makes: its networks, secrets,
 * configs and service specs, named and labelled as the docker CLI names and labels them. Secret and
 * config references carry names here; the plan resolves them (and network names) to ids.
 */

/** The label every object of a stack carries. */
export const NAMESPACE = 'com.docker.stack.namespace';

/** A network, secret or config the stack needs: made by the stack, or external (looked up, never made). */
export interface StackObject {
  name: string;
  external: boolean;
  spec: Record<string, unknown>;
}

/** What a stack deploy wants to exist. */
export interface StackPlanInput {
  networks: StackObject[];
  secrets: StackObject[];
  configs: StackObject[];
  services: Record<string, any>[];
}

const UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A compose duration (`10s`, `1m30s`, `500ms`) in nanoseconds. */
export function duration(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value * 1e9;
  const text = String(value);
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw new ComposeError(`${where}: "${text}" is not a duration (such as 10s, 1m30s, 500ms)`);
    total += Number(m[1]) * UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

/** A compose size (`512M`, `1g`, `100k`, bytes) in bytes, as docker's RAMInBytes reads it. */
export function bytes(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(String(value).trim());
  if (!m) throw new ComposeError(`${where}: "${value}" is not a size (such as 512M or 1G)`);
  return Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' '));
}

/** A command as a list: a string is split on spaces, with quotes, as the CLI's shlex does. */
function words(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return (String(value).match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

/** Environment as KEY=VALUE, sorted as the CLI sorts it. */
function environment(value: unknown): string[] | undefined {
  if (!value) return undefined;
  const list = Array.isArray(value) ? value.map(String) : Object.entries(value).map(([k, v]) => (v === null || v === undefined ? k : `${k}=${v}`));
  return list.sort();
}

/** Ports in the short ("4000:80", "8080:80/udp") and long ({target, published, protocol, mode}) forms, sorted by published port. */
function ports(value: unknown, where: string) {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out = value.map((p) => {
    if (typeof p === 'object' && p) {
      // The long form sends only the protocol given (dockerd takes none as tcp); the short form always names one.
      return prune({
        Protocol: p.protocol,
        TargetPort: Number(p.target),
        PublishedPort: p.published !== undefined ? Number(p.published) : 0,
        PublishMode: p.mode ?? 'ingress',
      });
    }
    const m = /^(?:(?:[\d.]+:)?(\d+):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(String(p));
    if (!m) throw new ComposeError(`${where}: "${p}" is not a port (such as 4000:80 or 53:53/udp)`);
    return { Protocol: m[3] ?? 'tcp', TargetPort: Number(m[2]), PublishedPort: m[1] ? Number(m[1]) : 0, PublishMode: 'ingress' };
  });
  return out.sort((a, b) => a.PublishedPort - b.PublishedPort);
}

function updateConfig(value: any, where: string) {
  if (!value) return undefined;
  return prune({
    Parallelism: value.parallelism ?? 1,
    Delay: duration(value.delay, `${where}.delay`),
    FailureAction: value.failure_action,
    Monitor: duration(value.monitor, `${where}.monitor`),
    MaxFailureRatio: value.max_failure_ratio ?? 0,
    Order: value.order,
  });
}

function restartPolicy(deploy: any, restart: unknown, where: string) {
  const policy = deploy?.restart_policy;
  if (policy) {
    return prune({
      Condition: policy.condition,
      Delay: duration(policy.delay, `${where}.delay`),
      MaxAttempts: policy.max_attempts,
      Window: duration(policy.window, `${where}.window`),
    });
  }
  if (typeof restart !== 'string') return undefined;
  if (restart === 'no') return { Condition: 'none' };
  if (restart === 'always' || restart === 'unless-stopped') return { Condition: 'any' };
  const failure = /^on-failure(?::(\d+))?$/.exec(restart);
  if (failure) return prune({ Condition: 'on-failure', MaxAttempts: failure[1] ? Number(failure[1]) : undefined });
  throw new ComposeError(`${where}: restart "${restart}" is not no, always, on-failure[:N] or unless-stopped`);
}

function resources(value: any, where: string) {
  if (!value) return undefined;
  const part = (r: any, at: string) =>
    r ? prune({ NanoCPUs: r.cpus !== undefined ? Math.round(Number(r.cpus) * 1e9) : undefined, MemoryBytes: bytes(r.memory, `${at}.memory`) }) : undefined;
  return prune({ Limits: part(value.limits, `${where}.limits`), Reservations: part(value.reservations, `${where}.reservations`) });
}

/** Leaves out what is undefined, as Go's omitempty leaves out what is unset. */
function prune<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The stack's top-level networks, secrets or configs, by their key in the file. */
function objects(kind: 'networks' | 'secrets' | 'configs', loaded: LoadedCompose, stack: string, used: Set<string>): StackObject[] {
  const section = (loaded.file[kind] ?? {}) as Record<string, any>;
  const out: StackObject[] = [];
  for (const key of [...used].sort()) {
    if (key === 'default' && kind === 'networks' && !section.default) {
      out.push({ name: `${stack}_default`, external: false, spec: { Driver: 'overlay', Labels: { [NAMESPACE]: stack } } });
      continue;
    }
    if (!(key in section)) throw new ComposeError(`services use ${kind.slice(0, -1)} "${key}", which is not defined under ${kind}:`);
    const def = section[key] ?? {};
    const external = def.external === true || (typeof def.external === 'object' && def.external !== null);
    const name = def.name ?? (typeof def.external === 'object' ? def.external?.name : undefined) ?? (external ? key : `${stack}_${key}`);
    if (external) {
      out.push({ name, external: true, spec: {} });
    } else if (kind === 'networks') {
      const ipam = def.ipam ? prune({ Driver: def.ipam.driver, Config: (def.ipam.config ?? []).map((c: any) => ({ Subnet: c.subnet })) }) : undefined;
      out.push({
        name,
        external: false,
        spec: prune({
          Driver: def.driver || 'overlay',
          Options: def.driver_opts,
          Internal: def.internal || undefined,
          Attachable: def.attachable || undefined,
          IPAM: ipam,
          Labels: { ...(def.labels ?? {}), [NAMESPACE]: stack },
        }),
      });
    } else {
      if (!def.file) throw new ComposeError(`${kind}.${key}: give file: (or external: true)`);
      const path = isAbsolute(def.file) ? def.file : join(loaded.dir, def.file);
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch {
        throw new ComposeError(`${kind}.${key}: cannot read ${path}`);
      }
      out.push({
        name,
        external: false,
        spec: prune({
          Name: name,
          Labels: { ...(def.labels ?? {}), [NAMESPACE]: stack },
          Data: data.toString('base64'),
          Templating: def.template_driver ? { Name: def.template_driver } : undefined,
        }),
      });
    }
  }
  return out;
}

/** The references of a service to secrets or configs, by the object's name (resolved to ids by the plan). */
function references(kind: 'secrets' | 'configs', value: unknown, named: Map<string, string>) {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const prefix = kind === 'secrets' ? 'Secret' : 'Config';
  const refs = value.map((given) => {
    const r = typeof given === 'string' ? { source: given } : given;
    const source = r.source;
    const target = r.target || source;
    return {
      File: { Name: target, UID: String(r.uid ?? '0'), GID: String(r.gid ?? '0'), Mode: r.mode ?? 0o444 },
      [`${prefix}ID`]: '',
      [`${prefix}Name`]: named.get(source) ?? source,
    };
  });
  // Sorted by name, as the CLI sorts them.
  return refs.sort((a, b) => String(a[`${prefix}Name`]).localeCompare(String(b[`${prefix}Name`])));
}

/** Converts the loaded file for the stack `stack`. */
export function convertStack(loaded: LoadedCompose, stack: string): StackPlanInput {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(stack)) throw new ComposeError(`"${stack}" is not a valid stack name`);
  const services = loaded.file.services as Record<string, any>;
  const usedNetworks = new Set<string>();
  const usedSecrets = new Set<string>();
  const usedConfigs = new Set<string>();
  for (const s of Object.values(services)) {
    const nets = Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {});
    if (nets.length === 0) usedNetworks.add('default');
    for (const n of nets) usedNetworks.add(n);
    for (const r of s.secrets ?? []) usedSecrets.add(typeof r === 'string' ? r : r.source);
    for (const r of s.configs ?? []) usedConfigs.add(typeof r === 'string' ? r : r.source);
  }
  const networks = objects('networks', loaded, stack, usedNetworks);
  const secrets = objects('secrets', loaded, stack, usedSecrets);
  const configs = objects('configs', loaded, stack, usedConfigs);
  const networkName = new Map([...usedNetworks].sort().map((key, i) => [key, networks[i].name]));
  const secretName = new Map([...usedSecrets].sort().map((key, i) => [key, secrets[i].name]));
  const configName = new Map([...usedConfigs].sort().map((key, i) => [key, configs[i].name]));

  const specs = Object.entries(services)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, s]) => {
      const where = `services.${key}`;
      const deploy = s.deploy ?? {};
      const nets = Array.isArray(s.networks) ? Object.fromEntries(s.networks.map((n: string) => [n, null])) : (s.networks ?? { default: null });
      const placement = deploy.placement ?? {};
      const global = deploy.mode === 'global';
      if (deploy.mode && !['global', 'replicated'].includes(deploy.mode))
        throw new ComposeError(`${where}.deploy.mode: "${deploy.mode}" is not replicated or global`);
      return prune({
        Name: `${stack}_${key}`,
        Labels: { ...(deploy.labels ?? {}), [NAMESPACE]: stack, 'com.docker.stack.image': s.image },
        TaskTemplate: prune({
          ContainerSpec: prune({
            Image: s.image,
            Command: words(s.entrypoint),
            Args: words(s.command),
            Hostname: s.hostname,
            Env: environment(s.environment),
            Labels: { ...(Array.isArray(s.labels) ? {} : (s.labels ?? {})), [NAMESPACE]: stack },
            Dir: s.working_dir,
            User: s.user,
            StopGracePeriod: duration(s.stop_grace_period, `${where}.stop_grace_period`),
            StopSignal: s.stop_signal,
            TTY: s.tty || undefined,
            OpenStdin: s.stdin_open || undefined,
            ReadOnly: s.read_only || undefined,
            Init: s.init,
            Hosts: Array.isArray(s.extra_hosts) ? s.extra_hosts.map((h: string) => h.replace(/^([^:]+):(.*)$/, '$2 $1')) : undefined,
            // The CLI always sends an (empty) Privileges object.
            Privileges: {},
            Secrets: references('secrets', s.secrets, secretName),
            Configs: references('configs', s.configs, configName),
          }),
          Resources: resources(deploy.resources, `${where}.deploy.resources`) ?? {},
          RestartPolicy: restartPolicy(deploy, s.restart, `${where}.deploy.restart_policy`),
          Placement: prune({
            Constraints: placement.constraints,
            Preferences: placement.preferences?.map((p: any) => ({ Spread: { SpreadDescriptor: p.spread } })),
            MaxReplicas: placement.max_replicas_per_node,
          }),
          Networks: Object.entries(nets as Record<string, any>)
            .map(([n, cfg]) => ({ Target: networkName.get(n)!, Aliases: [...(cfg?.aliases ?? []), key] }))
            .sort((a, b) => a.Target.localeCompare(b.Target)),
        }),
        Mode: global ? { Global: {} } : { Replicated: prune({ Replicas: deploy.replicas }) },
        UpdateConfig: updateConfig(deploy.update_config, `${where}.deploy.update_config`),
        RollbackConfig: updateConfig(deploy.rollback_config, `${where}.deploy.rollback_config`),
        EndpointSpec: prune({ Mode: deploy.endpoint_mode, Ports: ports(s.ports, `${where}.ports`) }),
      });
    });
  return { networks, secrets, configs, services: specs };
}
