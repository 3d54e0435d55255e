import type { StackPlanInput } from './convert.js';

/**
 * The whole converted stack checked before anything is sent: what the Engine would refuse for a
 * reason of form (a name it does not take, a relative mount target, a port out of range or
 * published twice, a healthcheck interval under 1 ms), found here, all at once, so that no deploy
 * stops half-way with networks and configs already made.
 */

const SERVICE_NAME = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;
const OBJECT_NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/;

/** Every problem of the stack the Engine would refuse, in words; empty when there is none. */
export function stackProblems(stack: StackPlanInput): string[] {
  const problems: string[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    for (const o of stack[kind]) {
      if (o.external) continue;
      if (o.name.length > 64 || !OBJECT_NAME.test(o.name))
        problems.push(
          `${kind.slice(0, -1)} ${o.name}: the Engine takes names of at most 64 letters, digits, -, _ and . (starting and ending with a letter or digit)`,
        );
    }
  }
  const published = new Map<string, string>();
  for (const s of stack.services) {
    const name = String(s.Name);
    if (name.length > 63 || !SERVICE_NAME.test(name))
      problems.push(
        `service ${name}: the Engine takes service names of at most 63 letters, digits, - and _ (a DNS name component), starting and ending with a letter or digit`,
      );
    const container = s.TaskTemplate?.ContainerSpec ?? {};
    const targets = new Set<string>();
    for (const m of container.Mounts ?? []) {
      if (!String(m.Target ?? '').startsWith('/')) problems.push(`service ${name}: mount target "${m.Target}" is not an absolute path`);
      if (m.Type === 'bind' && !String(m.Source ?? '').startsWith('/')) problems.push(`service ${name}: bind source "${m.Source}" is not an absolute path`);
      if (targets.has(m.Target)) problems.push(`service ${name}: ${m.Target} is mounted twice`);
      targets.add(m.Target);
    }
    for (const p of s.EndpointSpec?.Ports ?? []) {
      if (!(p.TargetPort >= 1 && p.TargetPort <= 65535)) problems.push(`service ${name}: target port ${p.TargetPort} is not from 1 to 65535`);
      if (p.PublishedPort !== undefined && !(p.PublishedPort >= 0 && p.PublishedPort <= 65535))
        problems.push(`service ${name}: published port ${p.PublishedPort} is not from 1 to 65535`);
      if (p.PublishedPort && (p.PublishMode ?? 'ingress') === 'ingress') {
        const key = `${p.PublishedPort}/${p.Protocol ?? 'tcp'}`;
        const other = published.get(key);
        if (other) problems.push(`service ${name}: port ${key} is already published by ${other === name ? 'this service' : `service ${other}`}`);
        else published.set(key, name);
      }
    }
    const health = container.Healthcheck;
    for (const field of ['Interval', 'Timeout', 'StartPeriod'] as const) {
      const v = health?.[field];
      if (typeof v === 'number' && v !== 0 && v < 1e6) problems.push(`service ${name}: healthcheck ${field} is under 1ms, which the Engine refuses`);
    }
    for (const e of container.Env ?? []) if (String(e).includes('\0')) problems.push(`service ${name}: an environment variable holds a NUL character`);
  }
  return problems;
}
