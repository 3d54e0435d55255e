import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from './backend.js';
import { raw } from './wire.js';

/**
 * The swarm's other objects (networks, secrets, configs), specs as dockerd decodes them, and what
 * one engine has (containers, images): the same tests against the simulator and a real manager.
 * Everything made carries a name prefix and is removed afterwards.
 */
export function defineObjectsContract(label: string, open: () => Promise<Backend>) {
  const PREFIX = `sdo-${process.pid.toString(36)}-`;
  const IMAGE = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  let b: Backend;
  const call = (method: string, path: string, body?: unknown) => raw(b.docker, method, path, body);
  const service = (name: string, extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
    Name: `${PREFIX}${name}`,
    TaskTemplate: {
      ContainerSpec: { Image: IMAGE, Args: ['sleep', '3600'], StopSignal: 'SIGKILL', StopGracePeriod: 1_000_000_000, ...container },
      ...((extra.TaskTemplate as object) ?? {}),
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: { Mode: 'dnsrr' },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'TaskTemplate')),
  });
  const filters = (f: Record<string, string[]>) => encodeURIComponent(JSON.stringify(f));

  describe(`networks, secrets, configs, specs and engine objects (${label})`, () => {
    beforeAll(async () => {
      b = await open();
    }, 60_000);

    afterAll(async () => {
      if (!b) return;
      for (const s of (await call('GET', '/services')).body as any[]) if (s.Spec.Name.startsWith(PREFIX)) await call('DELETE', `/services/${s.ID}`);
      await b.tick(2000);
      for (const kind of ['secrets', 'configs']) {
        for (const o of (await call('GET', `/${kind}`)).body as any[]) if (o.Spec.Name.startsWith(PREFIX)) await call('DELETE', `/${kind}/${o.ID}`);
      }
      for (const n of (await call('GET', '/networks')).body as any[]) if (n.Name.startsWith(PREFIX)) await call('DELETE', `/networks/${n.Id}`);
      await b.close();
    }, 120_000);

    describe('networks', () => {
      test('an overlay network is created with its labels and options, and a second of the same name is refused with 409', async () => {
        const made = await call('POST', '/networks/create', {
          Name: `${PREFIX}net`,
          Driver: 'overlay',
          Attachable: true,
          Labels: { 'com.docker.stack.namespace': `${PREFIX}st` },
        });
        expect(made.status).toBe(200);
        expect(made.body.Id).toMatch(/^[0-9a-z]{25}$/);
        const net = (await call('GET', `/networks/${PREFIX}net`)).body;
        expect(net).toMatchObject({
          Name: `${PREFIX}net`,
          Scope: 'swarm',
          Driver: 'overlay',
          Attachable: true,
          Ingress: false,
          Labels: { 'com.docker.stack.namespace': `${PREFIX}st` },
        });
        expect(net.IPAM.Config[0].Subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
        const again = await call('POST', '/networks/create', { Name: `${PREFIX}net`, Driver: 'overlay' });
        expect(again).toEqual({ status: 409, body: { message: `network with name ${PREFIX}net already exists` } });
      });

      test('listings honour label, driver and scope filters, and a swarm network matches its whole name only (docker stack rm relies on the label)', async () => {
        const names = async (f: Record<string, string[]>) => ((await call('GET', `/networks?filters=${filters(f)}`)).body as any[]).map((n) => n.Name);
        expect(await names({ label: [`com.docker.stack.namespace=${PREFIX}st`] })).toEqual([`${PREFIX}net`]);
        expect(await names({ driver: ['overlay'] })).toContain(`${PREFIX}net`);
        expect(await names({ driver: ['bridge'] })).not.toContain(`${PREFIX}net`);
        expect(await names({ scope: ['local'] })).toEqual(expect.arrayContaining(['bridge', 'host', 'none']));
        expect(await names({ scope: ['local'] })).not.toContain(`${PREFIX}net`);
        expect(await names({ name: [`${PREFIX}net`] })).toEqual([`${PREFIX}net`]);
        expect(await names({ name: [`${PREFIX}ne`] })).toEqual([]);
        expect(await names({ type: ['builtin'] })).toEqual(expect.arrayContaining(['bridge', 'host', 'none']));
        expect((await call('GET', `/networks?filters=${filters({ type: ['bogus'] })}`)).body.message).toBe("invalid filter: 'type'='bogus'");
      });

      test('an unknown driver is refused with 404 naming the plugin', async () => {
        expect(await call('POST', '/networks/create', { Name: `${PREFIX}bad`, Driver: 'nosuchdriver' })).toEqual({
          status: 404,
          body: { message: 'plugin "nosuchdriver" not found' },
        });
      });

      test('a service attaches by network name, the spec keeps the id, and the network cannot be removed while it is in use', async () => {
        const id = (await call('GET', `/networks/${PREFIX}net`)).body.Id;
        const made = await call('POST', '/services/create', service('attached', { TaskTemplate: { Networks: [{ Target: `${PREFIX}net` }] } }));
        expect(made.status).toBe(200);
        const spec = (await call('GET', `/services/${made.body.ID}`)).body.Spec;
        expect(spec.TaskTemplate.Networks).toEqual([{ Target: id }]);
        const refused = await call('DELETE', `/networks/${id}`);
        expect(refused).toEqual({
          status: 400,
          body: { message: `rpc error: code = FailedPrecondition desc = network ${id} is in use by service ${made.body.ID}` },
        });
        await call('DELETE', `/services/${made.body.ID}`);
        await b.tick(2000);
        expect((await call('DELETE', `/networks/${id}`)).status).toBe(200);
        expect((await call('GET', `/networks/${id}`)).status).toBe(404);
      });

      test('a service on a network that does not exist is refused', async () => {
        const refused = await call('POST', '/services/create', service('nonet', { TaskTemplate: { Networks: [{ Target: `${PREFIX}nosuch` }] } }));
        expect(refused).toEqual({ status: 500, body: { message: `network ${PREFIX}nosuch not found` } });
      });
    });

    describe('secrets and configs', () => {
      test('a secret is created from base64 data, and its data is never shown', async () => {
        const made = await call('POST', '/secrets/create', { Name: `${PREFIX}pw`, Data: b64('hunter2'), Labels: { team: 'a' } });
        expect(made.status).toBe(200);
        const secret = (await call('GET', `/secrets/${made.body.ID}`)).body;
        expect(secret.Spec).toEqual({ Name: `${PREFIX}pw`, Labels: { team: 'a' } });
        expect(JSON.stringify((await call('GET', '/secrets')).body)).not.toContain(b64('hunter2'));
      });

      test('a config shows its data', async () => {
        const made = await call('POST', '/configs/create', { Name: `${PREFIX}conf`, Data: b64('listen 80;\n') });
        expect((await call('GET', `/configs/${made.body.ID}`)).body.Spec).toEqual({ Name: `${PREFIX}conf`, Labels: {}, Data: b64('listen 80;\n') });
      });

      test('bad secrets are refused in dockerd words: a taken name, bad base64, no data, a bad name', async () => {
        expect(await call('POST', '/secrets/create', { Name: `${PREFIX}pw`, Data: b64('x') })).toEqual({
          status: 409,
          body: { message: `rpc error: code = AlreadyExists desc = secret ${PREFIX}pw already exists` },
        });
        expect(await call('POST', '/secrets/create', { Name: `${PREFIX}b`, Data: '!!!' })).toEqual({
          status: 400,
          body: { message: 'illegal base64 data at input byte 0' },
        });
        expect((await call('POST', '/secrets/create', { Name: `${PREFIX}e` })).body.message).toBe(
          'rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes',
        );
        expect((await call('POST', '/configs/create', { Name: `${PREFIX}e` })).body.message).toBe(
          'rpc error: code = InvalidArgument desc = config data must be larger than 0 and less than 1024000 bytes',
        );
        expect((await call('POST', '/secrets/create', { Name: 'bad name', Data: b64('x') })).body.message).toMatch(
          /invalid name, only 64 \[a-zA-Z0-9-_.\] characters allowed/,
        );
        expect((await call('GET', '/secrets')).body.filter((s: any) => s.Spec.Name.startsWith(PREFIX)).map((s: any) => s.Spec.Name)).toEqual([`${PREFIX}pw`]);
      });

      test('an update may change the labels only, at the current version', async () => {
        const secret = (await call('GET', `/secrets/${PREFIX}pw`)).body;
        const path = `/secrets/${secret.ID}/update?version=${secret.Version.Index}`;
        expect(await call('POST', path, { Name: `${PREFIX}pw`, Labels: { team: 'b' }, Data: b64('other') })).toEqual({
          status: 400,
          body: { message: 'rpc error: code = InvalidArgument desc = only updates to Labels are allowed' },
        });
        expect((await call('POST', path, { Name: `${PREFIX}pw`, Labels: { team: 'b' } })).status).toBe(200);
        expect((await call('GET', `/secrets/${secret.ID}`)).body.Spec.Labels).toEqual({ team: 'b' });
        expect((await call('POST', path, { Name: `${PREFIX}pw`, Labels: {} })).body.message).toBe('rpc error: code = Unknown desc = update out of sequence');
      });

      test('a service takes a secret by ID with its name; a name given as the ID is not found; the secret cannot go while in use', async () => {
        const secret = (await call('GET', `/secrets/${PREFIX}pw`)).body;
        const ref = (id: string) => [{ SecretID: id, SecretName: `${PREFIX}pw`, File: { Name: 'pw', UID: '0', GID: '0', Mode: 292 } }];
        const wrong = await call('POST', '/services/create', service('bysecretname', {}, { Secrets: ref(`${PREFIX}pw`) }));
        expect(wrong).toEqual({ status: 400, body: { message: `rpc error: code = InvalidArgument desc = secret not found: ${PREFIX}pw` } });
        const made = await call('POST', '/services/create', service('withsecret', {}, { Secrets: ref(secret.ID) }));
        expect(made.status).toBe(200);
        expect(await call('DELETE', `/secrets/${secret.ID}`)).toEqual({
          status: 400,
          body: { message: `rpc error: code = InvalidArgument desc = secret '${PREFIX}pw' is in use by the following service: ${PREFIX}withsecret` },
        });
        await call('DELETE', `/services/${made.body.ID}`);
        expect((await call('DELETE', `/secrets/${secret.ID}`)).status).toBe(200);
        expect(await call('GET', `/secrets/${secret.ID}`)).toEqual({ status: 404, body: { message: `secret ${secret.ID} not found` } });
      });

      test('secret and config listings honour label, name (a prefix) and names (exact) filters', async () => {
        await call('POST', '/configs/create', { Name: `${PREFIX}conf2`, Data: b64('x'), Labels: { 'com.docker.stack.namespace': `${PREFIX}st` } });
        const names = async (f: Record<string, string[]>) =>
          ((await call('GET', `/configs?filters=${filters(f)}`)).body as any[]).map((c) => c.Spec.Name).sort();
        expect(await names({ label: [`com.docker.stack.namespace=${PREFIX}st`] })).toEqual([`${PREFIX}conf2`]);
        expect(await names({ name: [`${PREFIX}conf`] })).toEqual([`${PREFIX}conf`, `${PREFIX}conf2`]);
        expect((await call('GET', `/configs?filters=${filters({ driver: ['x'] })}`)).body.message).toBe("Invalid filter 'driver'");
        // 20.10 takes an exact `names` filter for secrets, and refuses it for configs.
        expect((await call('GET', `/configs?filters=${filters({ names: ['x'] })}`)).body.message).toBe("Invalid filter 'names'");
        await call('POST', '/secrets/create', { Name: `${PREFIX}token`, Data: b64('x') });
        const secrets = (await call('GET', `/secrets?filters=${filters({ names: [`${PREFIX}token`, `${PREFIX}tok`] })}`)).body as any[];
        expect(secrets.map((s) => s.Spec.Name)).toEqual([`${PREFIX}token`]);
      });
    });

    describe('specs as dockerd decodes them', () => {
      test('field names match whatever their case, and unknown fields are ignored', async () => {
        const made = await call('POST', '/services/create', {
          name: `${PREFIX}lower`,
          taskTemplate: { containerSpec: { image: IMAGE, args: ['sleep', '3600'] } },
          mode: { replicated: { replicas: 2 } },
          bogusField: 1,
        });
        expect(made.status).toBe(200);
        const spec = (await call('GET', `/services/${made.body.ID}`)).body.Spec;
        expect(spec.Name).toBe(`${PREFIX}lower`);
        expect(spec.Mode).toEqual({ Replicated: { Replicas: 2 } });
        expect(spec.TaskTemplate.ContainerSpec.Args).toEqual(['sleep', '3600']);
        expect(spec).not.toHaveProperty('bogusField');
      });

      test('with no mode a service is replicated with 1 replica, and the stored spec carries the defaults dockerd writes', async () => {
        const made = await call('POST', '/services/create', {
          Name: `${PREFIX}nomode`,
          TaskTemplate: { ContainerSpec: { Image: IMAGE, Args: ['sleep', '3600'] } },
        });
        const spec = (await call('GET', `/services/${made.body.ID}`)).body.Spec;
        expect(spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
        expect(spec.Labels).toEqual({});
        expect(spec.TaskTemplate).toMatchObject({ ForceUpdate: 0, Runtime: 'container', ContainerSpec: { Isolation: 'default' } });
        const none = await call('POST', '/services/create', {
          Name: `${PREFIX}noreps`,
          TaskTemplate: { ContainerSpec: { Image: IMAGE } },
          Mode: { Replicated: {} },
        });
        expect((await call('GET', `/services/${none.body.ID}`)).body.Spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
      });

      test('a value of the wrong JSON type is refused with Go decoder words, and nothing is created', async () => {
        const labels = await call('POST', '/services/create', { Name: `${PREFIX}wt`, TaskTemplate: { ContainerSpec: { Image: IMAGE } }, Labels: { a: 1 } });
        expect(labels).toEqual({ status: 400, body: { message: 'json: cannot unmarshal number into Go struct field ServiceSpec.Labels of type string' } });
        const args = await call('POST', '/services/create', { Name: `${PREFIX}wt`, TaskTemplate: { ContainerSpec: { Image: IMAGE, Args: 'sleep' } } });
        expect(args.body.message).toBe('json: cannot unmarshal string into Go struct field ContainerSpec.TaskTemplate.ContainerSpec.Args of type []string');
        expect((await call('GET', `/services/${PREFIX}wt`)).status).toBe(404);
      });
    });

    describe("one engine's own objects", () => {
      test("the manager's engine lists the containers of its tasks, named and labelled as Swarm makes them", async () => {
        const made = await call('POST', '/services/create', service('here', { TaskTemplate: { Placement: { Constraints: ['node.role==manager'] } } }));
        let container: any;
        for (let i = 0; i < 120 && !container; i++) {
          await b.tick(500);
          container = ((await call('GET', '/containers/json')).body as any[]).find((c) => c.Labels['com.docker.swarm.service.id'] === made.body.ID);
        }
        expect(container.Names[0]).toMatch(new RegExp(`^/${PREFIX}here\\.1\\.[0-9a-z]{25}$`));
        expect(container.Labels).toMatchObject({ 'com.docker.swarm.service.name': `${PREFIX}here`, 'com.docker.swarm.task.name': container.Names[0].slice(1) });
        expect(container.State).toBe('running');
        expect(container.Image).toBe(IMAGE);
        const inspected = (await call('GET', `/containers/${container.Id.slice(0, 12)}/json`)).body;
        expect(inspected.State.Running).toBe(true);
      });

      test('an image the engine does not have is 404 to inspect and to remove, in dockerd words', async () => {
        const name = 'swarmdeck-test/no-such-image:0';
        expect(await call('GET', `/images/${name}/json`)).toEqual({ status: 404, body: { message: `no such image: ${name}: No such image: ${name}` } });
        expect(await call('DELETE', `/images/${name}`)).toEqual({ status: 404, body: { message: `No such image: ${name}` } });
      });

      test('an image a running container uses cannot be removed', async () => {
        const refused = await call('DELETE', `/images/${IMAGE}`);
        expect(refused.status).toBe(409);
        expect(refused.body.message).toMatch(/^conflict: unable to remove repository reference/);
      });
    });
  });
}
