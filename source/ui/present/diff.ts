import { isGlobal, replicasOf as replicaCount } from '../../swarm/spec-defaults.js';
import type { ServiceSpec, SwarmService } from '../../docker/types.js';
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
const portsOf = (spec: ServiceSpec) =>
  (spec.EndpointSpec?.Ports ?? []).map((p) => `${p.PublishedPort ?? ''}:${p.TargetPort}/${p.Protocol ?? 'tcp'}`).join(', ') || 'none';

/** What a rollback will change, line by line: "image: nginx:1.27 -> nginx:1.25", env added and removed, ... Secret-looking env values masked unless `reveal`. */
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
  change('ports', portsOf(now), portsOf(back));
  change('args', (now.TaskTemplate?.ContainerSpec?.Args ?? []).join(' '), (back.TaskTemplate?.ContainerSpec?.Args ?? []).join(' '));
  change('constraints', (now.TaskTemplate?.Placement?.Constraints ?? []).join(', '), (back.TaskTemplate?.Placement?.Constraints ?? []).join(', '));
  change('labels', JSON.stringify(now.Labels ?? {}), JSON.stringify(back.Labels ?? {}));
  if (lines.length === 0) lines.push('the previous spec differs only in details not listed here (force update counter, update config)');
  return lines;
}
