import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from './backend.js';
import { raw as rawRequest } from './wire.js';

/**
 * Whole specs, field for field: each case of fixtures/service-specs.json is created (and updated)
 * on the backend, and what it answers (Spec, PreviousSpec, Endpoint, and the spec with
 * insertDefaults) must equal what a real 20.10 manager answered. The fixture is written by the
 * engine suite against a real manager with SWARMDECK_CAPTURE_SPECS=1, and checked by it on every
 * run, so it cannot drift from dockerd; on the simulator the same comparison finds any default
 * the simulator adds, drops or names differently.
 */

const FIXTURE = new URL('./fixtures/service-specs.json', import.meta.url);

interface SpecCase {
  case: string;
  source: string;
  body: Record<string, unknown>;
  update?: Record<string, unknown>;
  expected?: unknown;
}

export function defineSpecsContract(label: string, open: () => Promise<Backend>) {
  const PREFIX = `sds-${process.pid.toString(36)}-`;
  const IMAGE = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { about: string; cases: SpecCase[] };
  const capture = process.env.SWARMDECK_CAPTURE_SPECS === '1';
  let b: Backend;
  const ids = { network: '', secret: '', config: '', ingress: '' };
  const names = { network: `${PREFIX}net`, secret: `${PREFIX}secret`, config: `${PREFIX}config` };
  const raw = (method: string, path: string, body?: unknown) => rawRequest(b.docker, method, path, body);

  /** The case's body with its placeholders filled in for this backend. */
  const fill = (body: unknown, name: string) =>
    JSON.parse(
      JSON.stringify(body)
        .replaceAll('{{NAME}}', name)
        .replaceAll('local/busybox:1', IMAGE)
        .replaceAll('{{NETWORK_ID}}', ids.network)
        .replaceAll('{{NETWORK_NAME}}', names.network)
        .replaceAll('{{SECRET_ID}}', ids.secret)
        .replaceAll('{{SECRET_NAME}}', names.secret)
        .replaceAll('{{CONFIG_ID}}', ids.config)
        .replaceAll('{{CONFIG_NAME}}', names.config),
    );

  /** The answer with what differs between any two managers put back as placeholders: ids, names, addresses, ports the manager chose. */
  const neutral = (value: unknown, name: string): unknown => {
    let text = JSON.stringify(value)
      .replaceAll(`"${name}"`, '"{{NAME}}"')
      .replaceAll(IMAGE, 'local/busybox:1')
      .replaceAll(ids.network, '{{NETWORK_ID}}')
      .replaceAll(ids.secret, '{{SECRET_ID}}')
      .replaceAll(ids.config, '{{CONFIG_ID}}')
      .replaceAll(ids.ingress, '{{INGRESS_ID}}')
      .replaceAll(`"${names.secret}"`, '"{{SECRET_NAME}}"')
      .replaceAll(`"${names.config}"`, '"{{CONFIG_NAME}}"');
    text = text.replace(/"Addr":"[0-9.]+\/\d+"/g, '"Addr":"{{ADDR}}"');
    const out = JSON.parse(text) as { Endpoint?: { Ports?: { PublishedPort?: number | string }[] } };
    // Ports the routing mesh picked (30000-32767) differ from manager to manager.
    for (const port of out.Endpoint?.Ports ?? []) if (typeof port.PublishedPort === 'number' && port.PublishedPort >= 30000) port.PublishedPort = '{{AUTO}}';
    return out;
  };

  /** The service once the manager's allocator has filled in its endpoint (published ports, virtual IPs): a moment after the create or update returns. */
  async function settled(id: string) {
    for (let i = 0; ; i++) {
      const service = (await raw('GET', `/services/${id}`)).body;
      const spec = service.Spec ?? {};
      const ports = (spec.EndpointSpec?.Ports ?? []).length > 0;
      const vips = spec.EndpointSpec?.Mode !== 'dnsrr' && (ports || (spec.TaskTemplate?.Networks ?? []).length > 0);
      // Both ways: what the spec publishes is allocated, and what an update dropped is released
      // (dockerd's allocator does each a moment after the update is stored).
      const allocated = ports === (service.Endpoint?.Ports ?? []).length > 0 && vips === (service.Endpoint?.VirtualIPs ?? []).length > 0;
      if (allocated || i >= 40) return service;
      await b.tick(250);
    }
  }

  async function answer(id: string, name: string) {
    const plain = await settled(id);
    const defaults = (await raw('GET', `/services/${id}?insertDefaults=true`)).body;
    return neutral({ Spec: plain.Spec, PreviousSpec: plain.PreviousSpec ?? null, Endpoint: plain.Endpoint, WithDefaults: defaults.Spec }, name);
  }

  describe(`service specs as dockerd stores them (${label})`, () => {
    beforeAll(async () => {
      b = await open();
      const net = await raw('POST', '/networks/create', { Name: names.network, Driver: 'overlay', Attachable: true, CheckDuplicate: true });
      ids.network = net.body.Id;
      ids.secret = (await raw('POST', '/secrets/create', { Name: names.secret, Data: 'cw==' })).body.ID;
      ids.config = (await raw('POST', '/configs/create', { Name: names.config, Data: 'Yw==' })).body.ID;
      const networks = (await raw('GET', '/networks')).body as { Id: string; Ingress?: boolean }[];
      ids.ingress = networks.find((n) => n.Ingress)?.Id ?? '-';
    });

    afterAll(async () => {
      if (!b) return;
      const services = (await raw('GET', `/services?filters=${encodeURIComponent(JSON.stringify({ name: [PREFIX] }))}`)).body as { ID: string }[];
      for (const s of services) await raw('DELETE', `/services/${s.ID}`);
      await b.tick(1000);
      await raw('DELETE', `/secrets/${ids.secret}`);
      await raw('DELETE', `/configs/${ids.config}`);
      for (let i = 0; i < 20 && (await raw('DELETE', `/networks/${ids.network}`)).status >= 400; i++) await b.tick(500);
      if (capture && b.name === 'engine') writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 1)}\n`);
      await b.close();
    });

    for (const c of fixture.cases) {
      test(`${c.case}: ${c.source}`, async () => {
        const name = `${PREFIX}${c.case}`;
        const created = await raw('POST', '/services/create', fill(c.body, name));
        let got: unknown;
        // A refusal is part of the contract too: the same status and words.
        if (created.status !== 200) got = { Refused: { status: created.status, message: created.body?.message } };
        else {
          const id = created.body.ID as string;
          if (c.update) {
            const current = await settled(id);
            const updated = await raw('POST', `/services/${id}/update?version=${current.Version.Index}`, fill(c.update, name));
            expect(updated.status, JSON.stringify(updated.body)).toBe(200);
          }
          got = await answer(id, name);
        }
        if (capture && b.name === 'engine') c.expected = got;
        else expect(got).toEqual(c.expected);
      });
    }
  });
}
