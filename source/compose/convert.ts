import { isAbsolute, resolve } from 'node:path';
import { checkReplicas, MAX_OBJECT_BYTES, readBounded } from './bounds.js';
import {
  NAMESPACE,
  capabilities,
  duration,
  environment,
  extraHosts,
  healthcheck,
  mounts,
  ports,
  byteOrder,
  prune,
  resources,
  restartPolicy,
  sysctls,
  ulimits,
  updateConfig,
  withEnvFiles,
  words,
} from './fields.js';
import { taggedImage } from './image-ref.js';
import { ComposeError } from './load-error.js';
import type { LoadedCompose } from './load.js';

/**
 * A compose file converted to the objects `docker stack deploy` makes: its networks, secrets,
 * configs and service specs, named and labelled as the docker CLI names and labels them. Secret and
 * config references carry names here; the plan resolves them (and network names) to ids.
 */

export { NAMESPACE } from './fields.js';

/** A network, secret or config the stack needs: made by the stack, or external (looked up, never made). */
export interface StackObject {
  name: string;
  external: boolean;
  spec: Record<string, unknown>;
  /** For a secret or config: the file its data is read from. */
  source?: string;
}

/** What a stack deploy wants to exist. */
export interface StackPlanInput {
  networks: StackObject[];
  secrets: StackObject[];
  configs: StackObject[];
  services: Record<string, any>[];
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
      const path = isAbsolute(def.file) ? def.file : resolve(loaded.dir, def.file);
      const data = readBounded(path, MAX_OBJECT_BYTES, `${kind}.${key}`);
      out.push({
        name,
        external: false,
        source: path,
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

/** A network a stack attaches by alias: not one of the engine's own (default, bridge, host, none, container:…). */
export function userDefined(name: string): boolean {
  return !['default', 'bridge', 'host', 'none'].includes(name) && !name.startsWith('container:');
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
  return refs.sort((a, b) => byteOrder(String(a[`${prefix}Name`]), String(b[`${prefix}Name`])));
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
      checkReplicas(deploy.replicas, `${where}.deploy.replicas`);
      if (deploy.mode && !['global', 'replicated'].includes(deploy.mode))
        throw new ComposeError(`${where}.deploy.mode: "${deploy.mode}" is not replicated or global`);
      return prune({
        Name: `${stack}_${key}`,
        Labels: { ...(deploy.labels ?? {}), [NAMESPACE]: stack, 'com.docker.stack.image': s.image },
        TaskTemplate: prune({
          ContainerSpec: prune({
            // The docker client sends the image tagged (`redis` is `redis:latest`); the label keeps it as written.
            Image: taggedImage(String(s.image)),
            Command: words(s.entrypoint, `${where}.entrypoint`),
            Args: words(s.command, `${where}.command`),
            Hostname: s.hostname,
            Env: environment(withEnvFiles(s, loaded, where), loaded.env),
            Labels: { ...(s.labels ?? {}), [NAMESPACE]: stack },
            Dir: s.working_dir,
            User: s.user,
            StopGracePeriod: duration(s.stop_grace_period, `${where}.stop_grace_period`),
            StopSignal: s.stop_signal,
            TTY: s.tty || undefined,
            OpenStdin: s.stdin_open || undefined,
            ReadOnly: s.read_only || undefined,
            Init: s.init,
            Mounts: mounts(s.volumes, loaded, stack, `${where}.volumes`),
            Healthcheck: healthcheck(s.healthcheck, `${where}.healthcheck`),
            DNSConfig:
              s.dns || s.dns_search
                ? prune({ Nameservers: [s.dns ?? []].flat().map(String), Search: s.dns_search ? [s.dns_search].flat().map(String) : undefined })
                : undefined,
            ...capabilities(s.cap_add, s.cap_drop),
            Ulimits: ulimits(s.ulimits),
            Sysctls: sysctls(s.sysctls),
            Hosts: extraHosts(s.extra_hosts),
            // The CLI always sends an (empty) Privileges object.
            Privileges: {},
            Secrets: references('secrets', s.secrets, secretName),
            Configs: references('configs', s.configs, configName),
          }),
          Resources: resources(deploy.resources, `${where}.deploy.resources`) ?? {},
          LogDriver: s.logging ? prune({ Name: s.logging.driver, Options: s.logging.options }) : undefined,
          RestartPolicy: restartPolicy(deploy, s.restart, `${where}.deploy.restart_policy`),
          Placement: prune({
            Constraints: placement.constraints,
            Preferences: placement.preferences?.map((p: any) => ({ Spread: { SpreadDescriptor: p.spread } })),
            MaxReplicas: placement.max_replicas_per_node,
          }),
          // By name, as the CLI sends them; the service's key is an alias on a network a stack can attach by alias (not bridge, host, none).
          Networks: Object.entries(nets as Record<string, any>)
            .map(([n, cfg]) => {
              const target = networkName.get(n)!;
              const aliases = [...(cfg?.aliases ?? []).map(String), ...(userDefined(target) ? [key] : [])];
              return prune({ Target: target, Aliases: aliases.length ? aliases : undefined });
            })
            .sort((a, b) => byteOrder(a.Target, b.Target)),
        }),
        Mode: global ? { Global: {} } : { Replicated: prune({ Replicas: deploy.replicas }) },
        UpdateConfig: updateConfig(deploy.update_config, `${where}.deploy.update_config`),
        RollbackConfig: updateConfig(deploy.rollback_config, `${where}.deploy.rollback_config`),
        EndpointSpec: prune({ Mode: deploy.endpoint_mode, Ports: ports(s.ports, `${where}.ports`) }),
      });
    });
  return { networks, secrets, configs, services: specs };
}
