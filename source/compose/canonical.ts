/**
 * A service spec in the form two specs compare in: as dockerd stores it. dockerd fills in defaults
 * the client left out (an update config's order and failure action, a restart policy's condition
 * and max attempts, the endpoint mode, a port's protocol and publish mode, one replica) and keeps
 * networks by id; Go cannot tell a zero from an absent number where the field is not a pointer.
 * Both sides are brought to that form, so that an unchanged file compares equal to what a real
 * manager returns after deploying it, whatever defaults dockerd wrote in or left out.
 */

/** Numbers whose zero means something (Go pointers): kept; every other zero is the same as absent. */
const ZERO_MEANS_SOMETHING = new Set(['Mode.Replicated.Replicas', 'TaskTemplate.ContainerSpec.StopGracePeriod', 'TaskTemplate.RestartPolicy.Delay']);

/** The spec as it compares: dockerd's defaults filled in, ids as names, what dockerd keeps empty or zero left out. */
export function comparableSpec(spec: unknown, networkNames: Map<string, string> = new Map()): unknown {
  const copy = structuredClone(spec) as any;
  const template = (copy.TaskTemplate ??= {});
  delete template.ForceUpdate;
  if (template.Runtime === 'container') delete template.Runtime;
  const container = template.ContainerSpec ?? {};
  if (container.Isolation === 'default') delete container.Isolation;
  // dockerd keeps a healthcheck as Healthcheck; a client may have written it HealthCheck.
  if (container.HealthCheck && !container.Healthcheck) container.Healthcheck = container.HealthCheck;
  delete container.HealthCheck;
  // ServiceSpec.Networks is the old place of TaskTemplate.Networks: dockerd moves them.
  if (copy.Networks && !template.Networks) template.Networks = copy.Networks;
  delete copy.Networks;
  for (const n of template.Networks ?? []) n.Target = networkNames.get(n.Target) ?? n.Target;
  template.Networks?.sort((a: any, b: any) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
  for (const r of container.Secrets ?? []) delete r.SecretID;
  for (const r of container.Configs ?? []) delete r.ConfigID;
  if (copy.Mode?.Replicated && copy.Mode.Replicated.Replicas === undefined) copy.Mode.Replicated.Replicas = 1;
  if (copy.EndpointSpec?.Mode === 'vip') delete copy.EndpointSpec.Mode;
  for (const port of copy.EndpointSpec?.Ports ?? []) {
    if (!port.Protocol) port.Protocol = 'tcp';
    if (!port.PublishMode) port.PublishMode = 'ingress';
  }
  for (const config of [copy.UpdateConfig, copy.RollbackConfig]) {
    if (!config) continue;
    config.FailureAction ||= 'pause';
    config.Order ||= 'stop-first';
  }
  const restart = template.RestartPolicy;
  if (restart) {
    restart.Condition ||= 'any';
    restart.MaxAttempts ??= 0;
  }
  return strip(copy, '');
}

/** Leaves out what is empty (and zero, where zero is what absent means). */
function strip(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, path));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      const s = strip(v, at);
      const empty =
        s === undefined ||
        s === null ||
        s === '' ||
        s === false ||
        (s === 0 && !ZERO_MEANS_SOMETHING.has(at)) ||
        (typeof s === 'object' && Object.keys(s as object).length === 0);
      if (!empty) out[k] = s;
    }
    return out;
  }
  return value;
}
