import { isGlobal, replicasOf as replicaCount } from '../../swarm/spec-defaults.js';
import type { ServiceSpec, SwarmService } from '../../docker/types.js';
import diff from 'microdiff';
import { changeLine, type Change } from '../../store/change-line.js';
import { inert } from '../sanitize.js';

/** Env names that hold secrets: their values are masked wherever env is shown. */
export const SECRET_NAME = /PASS(WORD|WD|PHRASE)?|PWD|TOKEN|SECRET|KEY|CREDENTIAL|AUTH|PRIVATE|SALT|COOKIE|SESSION/i;

/** The password of credentials in a URL (scheme://user:password@host), masked. */
export const maskUrlCredentials = (text: string) => text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, '$1******@');

/**
 * NAME=value (an env entry, a label, --name=value in args) with the value masked when the name
 * looks secret; credentials in a URL are masked whatever the name.
 */
export function maskEnv(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq < 0 || !SECRET_NAME.test(entry.slice(0, eq))) return maskUrlCredentials(entry);
  return `${entry.slice(0, eq)}=******`;
}

/**
 * A changed field's value as a preview shows it (edit, deploy plan): an env entry, argument or
 * label whose name looks secret masked, credentials in URLs masked, unless `reveal`.
 */
export function maskChangeValue(path: string, value: unknown, reveal = false): unknown {
  if (reveal || value === undefined) return value;
  const segments = path.split('.');
  const last = segments.at(-1) ?? '';
  if (typeof value === 'string') {
    if (segments.includes('Labels') && SECRET_NAME.test(last)) return '******';
    return maskEnv(value);
  }
  return JSON.parse(JSON.stringify(value), (key, v) =>
    typeof v === 'string' ? (SECRET_NAME.test(key) && segments.concat(key).includes('Labels') ? '******' : maskEnv(v)) : v,
  );
}

const replicasOf = (spec: ServiceSpec) => (isGlobal(spec) ? 'global' : String(replicaCount(spec)));
const envOf = (spec: ServiceSpec) => spec.TaskTemplate?.ContainerSpec?.Env ?? [];

/** Fields the preview writes in words of its own (image, replicas, env entries one by one). */
const WORDED = /^(TaskTemplate\.ContainerSpec\.(Image|Env)|Mode\.Replicated\.Replicas|Mode\.(Replicated|Global))(\.|$)/;

/** Update and rollback settings by the docker flag that sets them; durations in seconds. */
const FLAGS: Record<string, { flag: string; duration?: boolean }> = {
  Parallelism: { flag: 'parallelism' },
  Delay: { flag: 'delay', duration: true },
  FailureAction: { flag: 'failure-action' },
  Monitor: { flag: 'monitor', duration: true },
  MaxFailureRatio: { flag: 'max-failure-ratio' },
  Order: { flag: 'order' },
};

/** A changed field as the rollback preview writes it: update/rollback settings by their docker flag, the rest by path. */
function fieldLine(change: Change, reveal: boolean): string {
  const config = /^(Update|Rollback)Config\.(\w+)$/.exec(change.path);
  const known = config && FLAGS[config[2]];
  if (config && known) {
    const flag = `--${config[1].toLowerCase()}-${known.flag}`;
    const show = (v: unknown) => (v === undefined ? '(default)' : known.duration ? `${Number(v) / 1e9}s` : String(v));
    return `${flag}: ${show(change.before)} -> ${show(change.after)}`;
  }
  return inert(changeLine(change, (path, value) => maskChangeValue(path, value, reveal)));
}

/**
 * What a rollback will change, every field of it: image, replicas and env entries in words, the
 * update and rollback settings by their docker flag, every other field by its path. Secret-looking
 * values masked unless `reveal`. (microdiff, the diff the edit preview uses: 1 kB, no dependencies.)
 */
export function rollbackChanges(service: SwarmService, reveal = false): string[] {
  const mask = reveal ? (e: string) => e : maskEnv;
  const now = service.Spec;
  const back = service.PreviousSpec!;
  const lines: string[] = [];
  const change = (label: string, from: string, to: string) => {
    if (from !== to) lines.push(`${label}: ${inert(from)} -> ${inert(to)}`);
  };
  change('image', now.TaskTemplate?.ContainerSpec?.Image ?? '', back.TaskTemplate?.ContainerSpec?.Image ?? '');
  change('replicas', replicasOf(now), replicasOf(back));
  const envNow = new Set(envOf(now));
  const envBack = new Set(envOf(back));
  for (const e of envBack) if (!envNow.has(e)) lines.push(`env: + ${inert(mask(e))}`);
  for (const e of envNow) if (!envBack.has(e)) lines.push(`env: - ${inert(mask(e))}`);
  for (const d of diff(now as Record<string, unknown>, back as Record<string, unknown>)) {
    const path = d.path.join('.');
    if (WORDED.test(path)) continue;
    lines.push(fieldLine({ path, before: d.type === 'CREATE' ? undefined : d.oldValue, after: d.type === 'REMOVE' ? undefined : d.value }, reveal));
  }
  if (lines.length === 0) lines.push('the previous spec is the same as this one');
  return lines;
}
