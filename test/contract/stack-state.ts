import { docker as dockerCli } from '../helpers/docker-cli.js';
import type { Backend } from './backend.js';

const STACK = 'com.docker.stack.namespace';

/** A stack's services as the manager lists them (whole objects). */
export async function stackServices(b: Backend, stack: string): Promise<any[]> {
  return (await b.docker.listServices({ filters: { label: [`${STACK}=${stack}`] } } as {})) as any[];
}

/**
 * What a stack made, with its name taken out and ids replaced by names: whole service, secret and
 * config specs, and the networks' settings (`networkOptions`: their driver options and IPAM driver
 * too, the VXLAN id left out as the manager's to give). `withoutForceUpdate`: the counter the CLI
 * and swarmdeck may leave at different values, when a test does not compare it.
 */
export async function stackMade(b: Backend, stack: string, options: { networkOptions?: boolean; withoutForceUpdate?: boolean } = {}) {
  const networks = (await b.docker.listNetworks()) as any[];
  const netName = new Map(networks.map((n) => [n.Id, n.Name]));
  const scrub = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(`${stack}_`, 'STACK_').replaceAll(`"${stack}"`, '"STACK"'));
  const byName = (x: any, y: any) => x.Name.localeCompare(y.Name);
  const services = (await stackServices(b, stack))
    .map((s) => {
      const spec = structuredClone(s.Spec);
      for (const n of spec.TaskTemplate?.Networks ?? []) n.Target = netName.get(n.Target) ?? n.Target;
      for (const r of spec.TaskTemplate?.ContainerSpec?.Secrets ?? []) delete r.SecretID;
      for (const r of spec.TaskTemplate?.ContainerSpec?.Configs ?? []) delete r.ConfigID;
      if (options.withoutForceUpdate) delete spec.TaskTemplate.ForceUpdate;
      return scrub(spec);
    })
    .sort(byName);
  const ofStack = (list: any[]) => list.filter((o) => (o.Labels ?? o.Spec?.Labels)?.[STACK] === stack);
  const nets = ofStack(networks)
    .map((n) =>
      scrub({
        Name: n.Name,
        Driver: n.Driver,
        Labels: n.Labels,
        ...(options.networkOptions
          ? { Options: Object.fromEntries(Object.entries(n.Options ?? {}).filter(([k]) => k !== 'com.docker.network.driver.overlay.vxlanid_list')) }
          : {}),
        Attachable: n.Attachable,
        Internal: n.Internal,
        Scope: n.Scope,
        ...(options.networkOptions ? { IPAMDriver: n.IPAM?.Driver } : {}),
      }),
    )
    .sort(byName);
  const secrets = ofStack((await b.docker.listSecrets()) as any[])
    .map((s) => scrub(s.Spec))
    .sort(byName);
  const configs = ofStack((await b.docker.listConfigs()) as any[])
    .map((s) => scrub(s.Spec))
    .sort(byName);
  return { services, networks: nets, secrets, configs };
}

/** `docker stack rm STACK`. */
export const removeStack = (b: Backend, stack: string) => dockerCli(b.host, ['stack', 'rm', stack]);

/** Waits until a removed stack's services and networks are gone (a real manager frees networks once the tasks stop), removing it again now and then. */
export async function stackGone(b: Backend, stack: string, tries = 120): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const left = ((await b.docker.listNetworks({ filters: { label: [`${STACK}=${stack}`] } })) as any[]).length;
    const services = (await stackServices(b, stack)).length;
    if (left === 0 && services === 0) return;
    await b.tick(500);
    if (i % 10 === 9) await removeStack(b, stack);
  }
}
