/**
 * A service spec as a 20.10 manager stores and returns it. dockerd converts the decoded API spec
 * into swarmkit's protobuf spec (daemon/cluster/convert, ServiceSpecToGRPC), and converts it back
 * when it answers (serviceSpecFromGRPC), and Go's encoding/json then leaves out the empty fields
 * tagged omitempty. What survives that round trip is what clients read back: enums get their
 * defaults (EndpointSpec.Mode vip, port protocol tcp and mode ingress, restart condition any,
 * update failure action pause and order stop-first), empty lists and maps go, pointers keep the
 * zero they were given (Init false, RestartPolicy.Delay 0), fields swarmkit has no place for go.
 * Each rule here was checked against a real 20.10 manager (test/contract/fixtures/specs.json).
 */
import { ApiError } from '../errors.js';
import type { ServiceSpec } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
const invalid = (message: string) => new ApiError(400, message);

/** Sets `key` unless the value is what Go's omitempty leaves out (undefined, '', 0, false, an empty list or map). */
function put(out: Obj, key: string, value: unknown): void {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (isObj(value) && Object.keys(value).length === 0 && !KEEP_EMPTY.has(value)) return;
  out[key] = value;
}
/** Structs behind pointers: present (even empty) whenever they were given. */
const KEEP_EMPTY = new WeakSet<object>();
const struct = (value: Obj): Obj => (KEEP_EMPTY.add(value), value);
/** A map or list as given (omitempty drops it when empty). */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** An enum through protobuf: the upper-cased name looked up, the zero value when unknown. */
function enumOf(value: unknown, names: string[]): string {
  const upper = String(value ?? '').toUpperCase();
  return names.includes(upper) ? upper.toLowerCase() : names[0].toLowerCase();
}

/** The spec as the manager stores it (see the file's comment); refuses what the conversion refuses, with dockerd's words. */
export function storedServiceSpec(spec: ServiceSpec): ServiceSpec {
  const input = spec as Obj;
  const template = asObj(input.TaskTemplate) ?? {};
  const runtime = String(template.Runtime ?? '');
  if (runtime !== '' && runtime !== 'container') {
    throw invalid(runtime === 'plugin' ? 'mismatched Runtime and *Spec fields' : 'unsupported runtime');
  }
  if (!isObj(template.ContainerSpec)) throw invalid('mismatched Runtime and *Spec fields');
  const out: Obj = {};
  put(out, 'Name', input.Name);
  out.Labels = copy(asObj(input.Labels)) ?? {};
  out.TaskTemplate = taskTemplate(template);
  out.Mode = mode(asObj(input.Mode) ?? {});
  const update = updateConfig(input.UpdateConfig);
  if (update) out.UpdateConfig = update;
  const rollback = updateConfig(input.RollbackConfig);
  if (rollback) out.RollbackConfig = rollback;
  put(out, 'Networks', networks(input.Networks));
  if (isObj(input.EndpointSpec)) out.EndpointSpec = endpointSpec(input.EndpointSpec);
  return out as ServiceSpec;
}

function taskTemplate(t: Obj): Obj {
  const out: Obj = {};
  out.ContainerSpec = containerSpec(asObj(t.ContainerSpec)!);
  const resources = resourcesOf(asObj(t.Resources));
  if (resources) out.Resources = resources;
  if (isObj(t.RestartPolicy)) out.RestartPolicy = restartPolicy(t.RestartPolicy);
  if (isObj(t.Placement)) out.Placement = placement(t.Placement);
  put(out, 'Networks', networks(t.Networks));
  if (isObj(t.LogDriver)) out.LogDriver = driver(t.LogDriver);
  out.ForceUpdate = typeof t.ForceUpdate === 'number' ? t.ForceUpdate : 0;
  out.Runtime = 'container';
  return out;
}

function containerSpec(c: Obj): Obj {
  const out: Obj = {};
  put(out, 'Image', c.Image);
  put(out, 'Labels', copy(c.Labels));
  put(out, 'Command', copy(c.Command));
  put(out, 'Args', copy(c.Args));
  put(out, 'Hostname', c.Hostname);
  put(out, 'Env', copy(c.Env));
  put(out, 'Dir', c.Dir);
  put(out, 'User', c.User);
  put(out, 'Groups', copy(c.Groups));
  if (isObj(c.Privileges)) out.Privileges = privileges(c.Privileges);
  put(out, 'TTY', c.TTY);
  put(out, 'OpenStdin', c.OpenStdin);
  put(out, 'ReadOnly', c.ReadOnly);
  put(out, 'Mounts', Array.isArray(c.Mounts) ? c.Mounts.map((m) => mount(asObj(m) ?? {})) : undefined);
  put(out, 'StopSignal', c.StopSignal);
  if (typeof c.StopGracePeriod === 'number') out.StopGracePeriod = c.StopGracePeriod;
  if (isObj(c.Healthcheck)) out.Healthcheck = healthcheck(c.Healthcheck);
  put(out, 'Hosts', copy(c.Hosts));
  if (isObj(c.DNSConfig)) {
    const dns = struct({});
    put(dns, 'Nameservers', copy(c.DNSConfig.Nameservers));
    put(dns, 'Search', copy(c.DNSConfig.Search));
    put(dns, 'Options', copy(c.DNSConfig.Options));
    out.DNSConfig = dns;
  }
  // A secret reference without a file target is dropped when read back (dockerd logs "secret target not a file").
  put(
    out,
    'Secrets',
    Array.isArray(c.Secrets)
      ? c.Secrets.map((s) => asObj(s) ?? {})
          .filter((s) => isObj(s.File))
          .map(secretRef)
      : undefined,
  );
  if (Array.isArray(c.Configs))
    put(
      out,
      'Configs',
      c.Configs.map((s) => configRef(asObj(s) ?? {})),
    );
  const isolation = String(c.Isolation ?? '').toLowerCase();
  out.Isolation = isolation === 'hyperv' || isolation === 'process' ? isolation : 'default';
  if (typeof c.Init === 'boolean') out.Init = c.Init;
  put(out, 'Sysctls', copy(c.Sysctls));
  put(out, 'CapabilityAdd', copy(c.CapabilityAdd));
  put(out, 'CapabilityDrop', copy(c.CapabilityDrop));
  put(
    out,
    'Ulimits',
    Array.isArray(c.Ulimits) ? c.Ulimits.map((u) => ({ Name: asObj(u)?.Name ?? '', Hard: asObj(u)?.Hard ?? 0, Soft: asObj(u)?.Soft ?? 0 })) : undefined,
  );
  return out;
}

function privileges(p: Obj): Obj {
  const out: Obj = { CredentialSpec: null, SELinuxContext: null };
  if (isObj(p.CredentialSpec)) {
    const given = ['Config', 'File', 'Registry'].filter((k) => typeof p.CredentialSpec![k as never] === 'string' && p.CredentialSpec![k as never] !== '');
    if (given.length === 0) throw invalid('invalid CredentialSpec: must either provide "file", "registry", or "config" for credential spec');
    if (given.length > 1) {
      const names = given.map((k) => `"${k.toLowerCase()}"`);
      throw invalid(
        `invalid CredentialSpec: cannot specify both ${names.slice(0, -1).join(', ')}${names.length > 2 ? ',' : ''} and ${names.at(-1)} credential specs`,
      );
    }
    out.CredentialSpec = { [given[0]]: p.CredentialSpec[given[0]] };
  }
  if (isObj(p.SELinuxContext)) {
    const s = p.SELinuxContext;
    out.SELinuxContext = { Disable: s.Disable === true, User: s.User ?? '', Role: s.Role ?? '', Type: s.Type ?? '', Level: s.Level ?? '' };
  }
  return out;
}

const MOUNT_TYPES = ['BIND', 'VOLUME', 'TMPFS', 'NPIPE'];
const PROPAGATIONS = ['RPRIVATE', 'PRIVATE', 'RSHARED', 'SHARED', 'RSLAVE', 'SLAVE'];

function mount(m: Obj): Obj {
  const out: Obj = {};
  const type = String(m.Type ?? '');
  if (type !== '' && !MOUNT_TYPES.includes(type.toUpperCase())) throw invalid(`invalid MountType: "${type}"`);
  out.Type = enumOf(type, MOUNT_TYPES);
  put(out, 'Source', m.Source);
  put(out, 'Target', m.Target);
  put(out, 'ReadOnly', m.ReadOnly);
  if (isObj(m.BindOptions)) {
    const propagation = String(m.BindOptions.Propagation ?? '');
    const known = PROPAGATIONS.includes(propagation.toUpperCase());
    if (propagation !== '' && !known) throw invalid(`invalid MountPropagation: "${propagation}"`);
    // Only a known propagation or NonRecursive makes bind options; an empty {} is dropped.
    if (known || m.BindOptions.NonRecursive === true) {
      const bind: Obj = { Propagation: enumOf(propagation, PROPAGATIONS) };
      put(bind, 'NonRecursive', m.BindOptions.NonRecursive);
      out.BindOptions = bind;
    }
  }
  if (isObj(m.VolumeOptions)) {
    const volume = struct({});
    put(volume, 'NoCopy', m.VolumeOptions.NoCopy);
    put(volume, 'Labels', copy(m.VolumeOptions.Labels));
    if (isObj(m.VolumeOptions.DriverConfig)) volume.DriverConfig = driver(m.VolumeOptions.DriverConfig);
    out.VolumeOptions = volume;
  }
  if (isObj(m.TmpfsOptions)) {
    const tmpfs = struct({});
    put(tmpfs, 'SizeBytes', m.TmpfsOptions.SizeBytes);
    put(tmpfs, 'Mode', m.TmpfsOptions.Mode);
    out.TmpfsOptions = tmpfs;
  }
  return out;
}

function healthcheck(h: Obj): Obj {
  const out = struct({});
  put(out, 'Test', copy(h.Test));
  put(out, 'Interval', h.Interval);
  put(out, 'Timeout', h.Timeout);
  put(out, 'StartPeriod', h.StartPeriod);
  put(out, 'Retries', h.Retries);
  return out;
}

function fileTarget(f: Obj): Obj {
  return { Name: f.Name ?? '', UID: f.UID ?? '', GID: f.GID ?? '', Mode: f.Mode ?? 0 };
}

function secretRef(s: Obj): Obj {
  return { File: fileTarget(asObj(s.File)!), SecretID: s.SecretID ?? '', SecretName: s.SecretName ?? '' };
}

function configRef(s: Obj): Obj {
  const file = isObj(s.File);
  const runtime = isObj(s.Runtime);
  if (!file && !runtime) throw invalid('invalid Config: either File or Runtime should be set');
  if (file && runtime) throw invalid('invalid Config: cannot specify both File and Runtime');
  return { ...(runtime ? { Runtime: {} } : { File: fileTarget(asObj(s.File)!) }), ConfigID: s.ConfigID ?? '', ConfigName: s.ConfigName ?? '' };
}

/** Resources; the pids limit travels in the container spec in swarmkit and comes back as Limits.Pids. */
function resourcesOf(r: Obj | undefined): Obj | undefined {
  const pids = typeof asObj(r?.Limits)?.Pids === 'number' ? (asObj(r?.Limits)!.Pids as number) : 0;
  if (!r) return undefined;
  const out = struct({});
  if (isObj(r.Limits) || pids !== 0) {
    const limits = struct({});
    put(limits, 'NanoCPUs', asObj(r.Limits)?.NanoCPUs);
    put(limits, 'MemoryBytes', asObj(r.Limits)?.MemoryBytes);
    put(limits, 'Pids', pids);
    out.Limits = limits;
  }
  if (isObj(r.Reservations)) {
    const reservations = struct({});
    put(reservations, 'NanoCPUs', r.Reservations.NanoCPUs);
    put(reservations, 'MemoryBytes', r.Reservations.MemoryBytes);
    put(reservations, 'GenericResources', copy(r.Reservations.GenericResources));
    out.Reservations = reservations;
  }
  return out;
}

const CONDITIONS = ['none', 'on-failure', 'any'];

function restartPolicy(p: Obj): Obj {
  const condition = String(p.Condition ?? '');
  if (condition !== '' && !CONDITIONS.includes(condition)) throw invalid(`invalid RestartCondition: "${condition}"`);
  const out: Obj = { Condition: condition === '' ? 'any' : condition };
  if (typeof p.Delay === 'number') out.Delay = p.Delay;
  out.MaxAttempts = typeof p.MaxAttempts === 'number' ? p.MaxAttempts : 0;
  if (typeof p.Window === 'number') out.Window = p.Window;
  return out;
}

function placement(p: Obj): Obj {
  const out = struct({});
  put(out, 'Constraints', copy(p.Constraints));
  const spreads = (Array.isArray(p.Preferences) ? p.Preferences : [])
    .map((pref) => asObj(asObj(pref)?.Spread))
    .filter((s): s is Obj => s !== undefined)
    .map((s) => ({ Spread: { SpreadDescriptor: s.SpreadDescriptor ?? '' } }));
  put(out, 'Preferences', spreads);
  put(out, 'MaxReplicas', p.MaxReplicas);
  put(
    out,
    'Platforms',
    (Array.isArray(p.Platforms) ? p.Platforms : []).map((plat) => {
      const o: Obj = {};
      put(o, 'Architecture', asObj(plat)?.Architecture);
      put(o, 'OS', asObj(plat)?.OS);
      return o;
    }),
  );
  return out;
}

function driver(d: Obj): Obj {
  const out = struct({});
  put(out, 'Name', d.Name);
  put(out, 'Options', copy(d.Options));
  return out;
}

function networks(list: unknown): Obj[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((n) => {
    const o: Obj = {};
    put(o, 'Target', asObj(n)?.Target);
    put(o, 'Aliases', copy(asObj(n)?.Aliases));
    put(o, 'DriverOpts', copy(asObj(n)?.DriverOpts));
    return o;
  });
}

function updateConfig(value: unknown): Obj | undefined {
  if (!isObj(value)) return undefined;
  const action = String(value.FailureAction ?? '');
  if (!['', 'pause', 'continue', 'rollback'].includes(action)) throw invalid(`unrecognized update failure action ${action}`);
  const order = String(value.Order ?? '');
  if (!['', 'stop-first', 'start-first'].includes(order)) throw invalid(`unrecognized update order ${order}`);
  const out: Obj = { Parallelism: typeof value.Parallelism === 'number' ? value.Parallelism : 0 };
  put(out, 'Delay', value.Delay);
  out.FailureAction = action === '' ? 'pause' : action;
  put(out, 'Monitor', value.Monitor);
  out.MaxFailureRatio = typeof value.MaxFailureRatio === 'number' ? value.MaxFailureRatio : 0;
  out.Order = order === '' ? 'stop-first' : order;
  return out;
}

function mode(m: Obj): Obj {
  const given = ['Global', 'Replicated', 'ReplicatedJob', 'GlobalJob'].filter((k) => isObj(m[k]));
  if (given.length > 1) throw invalid('must specify only one service mode');
  if (isObj(m.Global)) return { Global: {} };
  if (isObj(m.GlobalJob)) return { GlobalJob: {} };
  if (isObj(m.ReplicatedJob)) {
    const max = typeof m.ReplicatedJob.MaxConcurrent === 'number' ? m.ReplicatedJob.MaxConcurrent : 1;
    const total = typeof m.ReplicatedJob.TotalCompletions === 'number' ? m.ReplicatedJob.TotalCompletions : max;
    // Pointers: a zero given stays.
    return { ReplicatedJob: { MaxConcurrent: max, TotalCompletions: total } };
  }
  const replicas = asObj(m.Replicated)?.Replicas;
  return { Replicated: { Replicas: typeof replicas === 'number' ? replicas : 1 } };
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const PUBLISH_MODES = ['INGRESS', 'HOST'];

function endpointSpec(e: Obj): Obj {
  const modeGiven = String(e.Mode ?? '');
  if (modeGiven !== '' && modeGiven !== 'vip' && modeGiven !== 'dnsrr') throw invalid(`invalid resolution mode: "${modeGiven}"`);
  const out: Obj = { Mode: modeGiven === '' ? 'vip' : modeGiven };
  const ports = (Array.isArray(e.Ports) ? e.Ports : []).map((p) => {
    const port = asObj(p) ?? {};
    const o: Obj = {};
    put(o, 'Name', port.Name);
    o.Protocol = enumOf(port.Protocol, PROTOCOLS);
    put(o, 'TargetPort', port.TargetPort);
    put(o, 'PublishedPort', port.PublishedPort);
    o.PublishMode = enumOf(port.PublishMode, PUBLISH_MODES);
    return o;
  });
  put(out, 'Ports', ports);
  return out;
}

/**
 * The spec as `GET /services/{id}?insertDefaults=true` shows it: swarmkit's service defaults
 * interpolated into the stored spec (a stop grace period and DNS config for the container,
 * resources, a restart policy or its delay, placement, and whole update and rollback configs
 * when none was given); the endpoint spec and Init stay as stored.
 */
export function storedWithDefaults(stored: ServiceSpec): ServiceSpec {
  const out = copy(stored) as Obj;
  const template = out.TaskTemplate as Obj;
  const container = template.ContainerSpec as Obj | undefined;
  if (container) {
    container.StopGracePeriod ??= 10_000_000_000;
    container.DNSConfig ??= {};
  }
  template.Resources ??= {};
  if (!isObj(template.RestartPolicy)) template.RestartPolicy = { Condition: 'any', Delay: 5_000_000_000, MaxAttempts: 0 };
  else template.RestartPolicy.Delay ??= 5_000_000_000;
  template.Placement ??= {};
  const update = { Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' };
  // A config given keeps its own values; only a missing monitor period is filled in.
  for (const key of ['UpdateConfig', 'RollbackConfig']) {
    if (!isObj(out[key])) out[key] = { ...update };
    else (out[key] as Obj).Monitor ??= update.Monitor;
  }
  return out as ServiceSpec;
}
