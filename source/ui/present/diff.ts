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

/** A size as a preview writes it: 20.0M chars. */
const sizeOf = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M chars` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k chars` : `${n} chars`);

/**
 * A string cut to `room` characters, the cut marked with `...` and the whole size: cut before any
 * per-character work (masking, sanitising, wrapping), so that a 20 MB value costs what a short one does.
 */
export function clipText(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room)}... (${sizeOf(text.length)})`;
}

/** A string masked by `mask` on a window a little wider than `room` (a credential across the cut is still found), then cut to `room`. */
function cutMasked(text: string, room: number, mask: (text: string) => unknown): string {
  if (text.length <= room) return String(mask(text));
  const masked = String(mask(text.slice(0, room + 1024)));
  // A value masked whole says nothing of its length.
  if (masked.endsWith('******')) return masked;
  return `${masked.slice(0, room)}... (${sizeOf(text.length)})`;
}

/**
 * A changed field's value as a preview shows it: masked as maskChangeValue does, every string cut
 * to `room` characters and at most 64 entries of a list or mapping kept. Bounded work, whatever the size.
 */
export function previewValue(path: string, value: unknown, reveal = false, room = 80): unknown {
  if (typeof value === 'string') return cutMasked(value, room, (t) => maskChangeValue(path, t, reveal));
  if (!value || typeof value !== 'object') return value;
  const budget = { left: 64 };
  // The mask of a string inside a value depends on its key (a label's name): asked as the one field of a mapping.
  const leaf = (key: string, text: string) => cutMasked(text, room, (t) => (maskChangeValue(path, { [key]: t }, reveal) as Record<string, unknown>)[key]);
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return leaf(key, v);
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const [i, item] of v.entries()) {
        if (budget.left-- <= 0) return [...out, `... (${v.length - i} more)`];
        out.push(walk(item, String(i)));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      if (budget.left-- <= 0) {
        out['...'] = 'more';
        break;
      }
      out[clipText(k, room)] = walk(item, k);
    }
    return out;
  };
  return walk(value, '');
}

/** A change as one preview line: masked, every value cut to about `room` characters, and made inert. */
export function previewLine(change: Change, reveal = false, room = 80): string {
  return inert(changeLine(change, (path, value) => previewValue(path, value, reveal, room)));
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
  return previewLine(change, reveal);
}

/**
 * What a rollback will change, every field of it: image, replicas and env entries in words, the
 * update and rollback settings by their docker flag, every other field by its path. Secret-looking
 * values masked unless `reveal`. (microdiff, the diff the edit preview uses: 1 kB, no dependencies.)
 */
export function rollbackChanges(service: SwarmService, reveal = false): string[] {
  const mask = (e: string) => inert(cutMasked(e, 80, reveal ? (t) => t : maskEnv));
  const now = service.Spec;
  const back = service.PreviousSpec!;
  const lines: string[] = [];
  const change = (label: string, from: string, to: string) => {
    if (from !== to) lines.push(`${label}: ${inert(clipText(from, 80))} -> ${inert(clipText(to, 80))}`);
  };
  change('image', now.TaskTemplate?.ContainerSpec?.Image ?? '', back.TaskTemplate?.ContainerSpec?.Image ?? '');
  change('replicas', replicasOf(now), replicasOf(back));
  const envNow = new Set(envOf(now));
  const envBack = new Set(envOf(back));
  for (const e of envBack) if (!envNow.has(e)) lines.push(`env: + ${mask(e)}`);
  for (const e of envNow) if (!envBack.has(e)) lines.push(`env: - ${mask(e)}`);
  for (const d of diff(now as Record<string, unknown>, back as Record<string, unknown>)) {
    const path = d.path.join('.');
    if (WORDED.test(path)) continue;
    lines.push(fieldLine({ path, before: d.type === 'CREATE' ? undefined : d.oldValue, after: d.type === 'REMOVE' ? undefined : d.value }, reveal));
  }
  if (lines.length === 0) lines.push('the previous spec is the same as this one');
  return lines;
}
