import { isAbsolute, join, resolve } from 'node:path';
import { MAX_COMPOSE_BYTES, readBounded } from './bounds.js';
import { ComposeError } from './load-error.js';
import type { LoadedCompose } from './load.js';
import { goString, splitWords, stringMap } from './words.js';

/** The conversions of single compose keys, as the docker CLI converts them (durations, sizes, ports, mounts, healthcheck, ...). */

/** The label every object of a stack carries. */
export const NAMESPACE = 'com.docker.stack.namespace';

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

/** A command as a list: a string is split into words as the CLI's shell lexer splits it. */
export function words(value: unknown, where = 'command'): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return splitWords(String(value), where);
}

/** Environment as KEY=VALUE, sorted as the CLI sorts it; `KEY` alone (or `KEY=` empty) takes the value the environment has, as the CLI takes it. */
export function environment(value: Record<string, string | null> | undefined, env: Record<string, string | undefined> = {}): string[] | undefined {
  if (!value || Object.keys(value).length === 0) return undefined;
  const list = Object.entries(value).map(([k, v]) => {
    const found = (v === null || v === '') && env[k] !== undefined ? env[k] : v;
    return found === null ? k : `${k}=${found}`;
  });
  return list.sort();
}

/** Healthcheck as the CLI converts it: a string test runs in a shell, `disable` is NONE. */
export function healthcheck(value: any, where: string) {
  if (!value) return undefined;
  if (value.disable) {
    if (value.test) throw new ComposeError(`${where}: test and disable can't be set at the same time`);
    return { Test: ['NONE'] };
  }
  const test = typeof value.test === 'string' ? ['CMD-SHELL', value.test] : value.test;
  return prune({
    Test: test,
    Interval: duration(value.interval, `${where}.interval`),
    Timeout: duration(value.timeout, `${where}.timeout`),
    Retries: value.retries,
    StartPeriod: duration(value.start_period, `${where}.start_period`),
  });
}

/** cap_add and cap_drop as the CLI normalizes them (CAP_ prefix, upper case, sorted; an added one is not dropped). */
export function capabilities(add: unknown, drop: unknown) {
  const norm = (list: unknown) =>
    new Set(
      (Array.isArray(list) ? list : [])
        .map((c) => String(c).trim().toUpperCase())
        .map((c) => (c === 'ALL' || c === 'RESET' || c.startsWith('CAP_') ? c : `CAP_${c}`)),
    );
  const a = norm(add);
  const d = norm(drop);
  const added = [...a].filter((c) => c !== 'RESET').sort();
  const dropped = [...d].filter((c) => !a.has(c) && c !== 'RESET').sort();
  return { CapabilityAdd: added.length ? added : undefined, CapabilityDrop: dropped.length ? dropped : undefined };
}

/** ulimits: `nofile: 1024` or `nofile: {soft, hard}`, sorted by name. */
export function ulimits(value: unknown) {
  if (!value || typeof value !== 'object') return undefined;
  return Object.entries(value as Record<string, any>)
    .map(([Name, u]) => (typeof u === 'object' ? { Name, Soft: Number(u.soft), Hard: Number(u.hard) } : { Name, Soft: Number(u), Hard: Number(u) }))
    .sort((a, b) => byteOrder(a.Name, b.Name));
}

/** sysctls as a map, from a map or a list of k=v. */
export function sysctls(value: unknown) {
  if (!value) return undefined;
  if (Array.isArray(value)) return Object.fromEntries(value.map((e) => String(e).split(/=(.*)/s).slice(0, 2)));
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, String(v)]));
}

/** Volumes as mounts: `name:/path[:ro]` (a stack volume), `./dir:/path` or `/dir:/path` (bind), or the long form. */
export function mounts(value: unknown, loaded: LoadedCompose, stack: string, where: string) {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const defined = (loaded.file.volumes ?? {}) as Record<string, any>;
  return value.map((v) => {
    let m: any;
    if (typeof v === 'string') {
      const [source, target, mode] = v.split(':');
      if (target === undefined) m = { type: 'volume', target: source };
      else m = { type: /^[./~]/.test(source) ? 'bind' : 'volume', source, target, read_only: mode === 'ro' };
    } else m = v;
    const type = m.type ?? 'volume';
    const out: Record<string, unknown> = { Type: type, Target: m.target, ReadOnly: m.read_only || undefined, Source: m.source, Consistency: m.consistency };
    if (type === 'bind') {
      // As the CLI does: ~ is $HOME; a relative source is made absolute from the file's directory and cleaned; an absolute one is left as written.
      if (!m.source) throw new ComposeError(`${where}: a bind mount needs a source`);
      const home = loaded.env.HOME;
      const source = String(m.source).startsWith('~') && home !== undefined ? String(m.source).replace('~', home) : String(m.source);
      out.Source = isAbsolute(source) ? source : resolve(loaded.dir, source);
      if (m.bind?.propagation) out.BindOptions = { Propagation: m.bind.propagation };
    } else if (type === 'volume' && m.source) {
      if (!(m.source in defined)) throw new ComposeError(`${where}: undefined volume "${m.source}"`);
      const def = defined[m.source] ?? {};
      const external = def.external === true || typeof def.external === 'object';
      out.Source = def.name ?? (external ? m.source : `${stack}_${m.source}`);
      const options: Record<string, unknown> = { NoCopy: m.volume?.nocopy || undefined };
      if (!external) {
        options.Labels = { ...(def.labels ?? {}), [NAMESPACE]: stack };
        if (def.driver || def.driver_opts) options.DriverConfig = prune({ Name: def.driver, Options: def.driver_opts });
      }
      out.VolumeOptions = prune(options);
    } else if (type === 'tmpfs' && m.tmpfs?.size !== undefined) out.TmpfsOptions = { SizeBytes: bytes(m.tmpfs.size, `${where}.tmpfs.size`) };
    return prune(out);
  });
}

/** env_file entries (KEY=VALUE lines, or KEY alone) under the service's environment, which wins. */
export function withEnvFiles(s: any, loaded: LoadedCompose, where: string): Record<string, string | null> | undefined {
  const files = s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file];
  const own = stringMapOf(s.environment);
  if (files.length === 0) return own;
  const fromFiles: Record<string, string | null> = {};
  for (const f of files) {
    const path = isAbsolute(f) ? f : join(loaded.dir, f);
    const text = readBounded(path, MAX_COMPOSE_BYTES, `${where}.env_file`).toString('utf8');
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (!t || t.startsWith('#')) continue;
      const eq = t.indexOf('=');
      if (eq > 0) fromFiles[t.slice(0, eq)] = t.slice(eq + 1);
      else if (eq < 0) fromFiles[t] = null;
    }
  }
  return { ...fromFiles, ...own };
}

/** `environment:` as a map; a key with no value is null (it takes the environment's value). */
function stringMapOf(value: unknown): Record<string, string | null> | undefined {
  return stringMap(value, true);
}

/** extra_hosts as the CLI sends them: "IP HOST", from a list of host:ip or a mapping. */
export function extraHosts(value: unknown): string[] | undefined {
  if (!value) return undefined;
  const list = Array.isArray(value)
    ? value.map(String)
    : Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}:${goString(v)}`)
        .sort();
  return list.map((h) => h.replace(/^([^:]+):(.*)$/, '$2 $1'));
}

/** Ports in the short ("4000:80", "8080:80/udp") and long ({target, published, protocol, mode}) forms, sorted by published port. */
export function ports(value: unknown, where: string) {
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
    const m = /^(?:(?:\[[0-9a-fA-F:.]+\]|\d+\.\d+\.\d+\.\d+):)?(?:(\d+)(?:-(\d+))?:)?(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(String(p));
    if (!m) throw new ComposeError(`${where}: "${p}" is not a port (such as 4000:80 or 53:53/udp)`);
    // A range (8000-8002:80-82) is a port each, as the CLI expands it.
    const [, pubStart, pubEnd, targetStart, targetEnd, protocol] = m;
    const count = Number(targetEnd ?? targetStart) - Number(targetStart) + 1;
    if (count < 1 || (pubStart && Number(pubEnd ?? pubStart) - Number(pubStart) + 1 !== count && !(pubEnd && count === 1)))
      throw new ComposeError(`${where}: "${p}": the published and target ranges differ in size`);
    return Array.from({ length: count }, (_, i) => ({
      Protocol: protocol ?? 'tcp',
      TargetPort: Number(targetStart) + i,
      PublishedPort: pubStart ? Number(pubStart) + i : 0,
      PublishMode: 'ingress',
    }));
  });
  return out.flat().sort((a, b) => a.PublishedPort - b.PublishedPort);
}

export function updateConfig(value: any, where: string) {
  if (!value) return undefined;
  return prune({
    Parallelism: value.parallelism ?? 1,
    Delay: duration(value.delay, `${where}.delay`),
    FailureAction: value.failure_action,
    Monitor: duration(value.monitor, `${where}.monitor`),
    MaxFailureRatio: value.max_failure_ratio ?? 0,
    // The CLI always sends Order (its JSON has no omitempty there): "" when the file gives none; dockerd stores stop-first.
    Order: value.order ?? '',
  });
}

export function restartPolicy(deploy: any, restart: unknown, where: string) {
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

export function resources(value: any, where: string) {
  if (!value) return undefined;
  const part = (r: any, at: string) =>
    r ? prune({ NanoCPUs: r.cpus !== undefined ? Math.round(Number(r.cpus) * 1e9) : undefined, MemoryBytes: bytes(r.memory, `${at}.memory`) }) : undefined;
  return prune({ Limits: part(value.limits, `${where}.limits`), Reservations: part(value.reservations, `${where}.reservations`) });
}

/** Strings in Go's order (bytes, not the locale's), as the CLI sorts names. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Leaves out what is undefined, as Go's omitempty leaves out what is unset. */
export function prune<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
