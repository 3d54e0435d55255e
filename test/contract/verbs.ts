import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SwarmClient } from '../../source/docker/client.js';
import { parseHost } from '../../source/docker/connection.js';
import { runAction, type ActionContext } from '../../source/store/run-action.js';
import { createStore } from '../../source/store/store.js';
import { Sync } from '../../source/store/sync.js';
import type { Backend } from './backend.js';

/**
 * The console's change verbs, sent as the keys send them (runAction, through Sync and SwarmClient),
 * against the simulator and a real manager: set image, an edit at its version, labels, secrets,
 * service removal.
 */
export function defineVerbsContract(label: string, open: () => Promise<Backend>) {
  const PREFIX = `sdv-${process.pid.toString(36)}-`;
  const IMAGE = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
  let b: Backend;
  let ctx: ActionContext;
  let sync: Sync;
  let dir: string;
  let serviceId = '';
  const name = `${PREFIX}app`;
  const inspect = async () => (await b.docker.getService(serviceId).inspect()) as any;

  describe(`the change verbs (${label})`, () => {
    beforeAll(async () => {
      b = await open();
      dir = mkdtempSync(join(tmpdir(), 'swarmdeck-verbs-'));
      const client = new SwarmClient({ ...parseHost(b.host, {}, undefined), label });
      const store = createStore(label);
      sync = new Sync(client, store);
      await sync.start();
      ctx = { store, sync, readOnly: false };
      const made = (await b.docker.createService({
        Name: name,
        TaskTemplate: { ContainerSpec: { Image: IMAGE, Args: ['sleep', '3600'], StopSignal: 'SIGKILL', StopGracePeriod: 1_000_000_000 } },
        Mode: { Replicated: { Replicas: 1 } },
        EndpointSpec: { Mode: 'dnsrr' },
      } as any)) as any;
      serviceId = made.id ?? made.ID;
    }, 60_000);

    afterAll(async () => {
      sync?.stop();
      await b?.docker
        .getService(serviceId)
        .remove()
        .catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      await b?.close();
    }, 60_000);

    test('set image changes only the image of the spec', async () => {
      const before = await inspect();
      const image = `${IMAGE.split(':')[0]}:swarmdeck-test`;
      expect(await runAction(ctx, { verb: 'image', service: { id: serviceId, name }, image })).toBe(true);
      const after = await inspect();
      expect(after.Spec.TaskTemplate.ContainerSpec.Image).toBe(image);
      expect(after.Spec.TaskTemplate.ContainerSpec.Args).toEqual(before.Spec.TaskTemplate.ContainerSpec.Args);
      expect(after.Spec.Mode).toEqual(before.Spec.Mode);
    });

    test('an edit goes in at the version it was read at, and a stale version is refused, not retried over', async () => {
      const current = await inspect();
      const spec = structuredClone(current.Spec);
      spec.Labels = { ...spec.Labels, edited: 'yes' };
      const request = {
        verb: 'edit',
        kind: 'service',
        object: { id: serviceId, name },
        version: current.Version.Index,
        spec,
        summary: 'Labels.edited',
      } as const;
      expect(await runAction(ctx, request)).toBe(true);
      expect((await inspect()).Spec.Labels).toEqual({ edited: 'yes' });
      const stale = { ...request, spec: { ...spec, Labels: { edited: 'twice' } } };
      expect(await runAction(ctx, stale)).toBe(false);
      expect(ctx.store.getSnapshot().status?.text).toMatch(/update out of sequence/);
      expect((await inspect()).Spec.Labels).toEqual({ edited: 'yes' });
    });

    test('node labels are added and removed, the others kept', async () => {
      const node = ((await b.docker.listNodes()) as any[]).find((n) => n.Spec.Role === 'worker');
      const ref = { id: node.ID, name: node.Description.Hostname };
      const had = node.Spec.Labels ?? {};
      expect(await runAction(ctx, { verb: 'labels', node: ref, add: { [`${PREFIX}disk`]: 'ssd' }, remove: [] })).toBe(true);
      expect(((await b.docker.getNode(node.ID).inspect()) as any).Spec.Labels).toEqual({ ...had, [`${PREFIX}disk`]: 'ssd' });
      expect(await runAction(ctx, { verb: 'labels', node: ref, add: {}, remove: [`${PREFIX}disk`] })).toBe(true);
      expect(((await b.docker.getNode(node.ID).inspect()) as any).Spec.Labels).toEqual(had);
    });

    test("a secret is made from a file's contents and removed", async () => {
      writeFileSync(join(dir, 'pw'), 'hunter2\n');
      expect(await runAction(ctx, { verb: 'create', kind: 'secret', name: `${PREFIX}pw`, path: join(dir, 'pw') })).toBe(true);
      const secret = ((await b.docker.listSecrets()) as any[]).find((s) => s.Spec.Name === `${PREFIX}pw`);
      expect(secret).toBeDefined();
      expect(await runAction(ctx, { verb: 'delete', kind: 'secret', object: { id: secret.ID, name: `${PREFIX}pw` } })).toBe(true);
      expect(((await b.docker.listSecrets()) as any[]).map((s) => s.Spec.Name)).not.toContain(`${PREFIX}pw`);
    });

    test('a service is removed', async () => {
      expect(await runAction(ctx, { verb: 'remove', service: { id: serviceId, name } })).toBe(true);
      expect(((await b.docker.listServices()) as any[]).map((s) => s.Spec.Name)).not.toContain(name);
    });
  });
}
