import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { convertStack } from '../../source/compose/convert.js';
import { loadCompose } from '../../source/compose/load.js';
import { applyPlan, planStack } from '../../source/compose/plan.js';
import { runDeploy } from '../../source/commands/deploy.js';
import { SwarmClient } from '../../source/docker/client.js';
import { parseHost } from '../../source/docker/connection.js';
import { docker as dockerCli, hasDockerCli } from '../helpers/docker-cli.js';
import type { Backend } from './backend.js';
import { REAL_WORLD_ENV, REAL_WORLD_FILES, realWorld } from './real-world-corpus.js';
import { removeStack as removeStackOf, stackGone, stackMade, stackServices as stackServicesOf } from './stack-state.js';
import { dockerFor } from './wire.js';

/** An image reference as `docker tag` takes it: the repository, and the tag (latest when none is given). */
function repoAndTag(image: string): { repo: string; tag: string } {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? { repo: image.slice(0, colon), tag: image.slice(colon + 1) } : { repo: image, tag: 'latest' };
}

/** The external objects the files name: made before, outside any stack, removed after. */
const EXTERNAL_SECRETS = ['postgres_password', 'staging_token', 'revprox_key', 'revprox_cert'];
const EXTERNAL_NETWORK = 'traefik-public';

/**
 * Every real stack file of the corpus, deployed with `docker stack deploy` and with swarmdeck: the
 * same services, networks, secrets and configs, whole specs as the manager stores them; our plan
 * over the CLI's stack changes nothing; an unchanged re-deploy sends nothing and bumps no version;
 * the dry run says there is nothing to change.
 *
 * Images: nothing is pulled. On a real swarm (SWARMDECK_TEST_NODE_CTL, e.g. realswarm.sh) the test
 * image `local/busybox:1` is tagged, on every node, as each image the files name
 * (`realswarm.sh docker NODE tag local/busybox:1 IMAGE`), so tasks start from a local image; the
 * simulator is given the same tags through its image API where it has one.
 */
export function defineRealWorldContract(label: string, open: () => Promise<Backend>) {
  const tag = process.pid.toString(36);
  let b: Backend;
  let client: SwarmClient;
  const saved: Record<string, string | undefined> = {};

  const stackServices = (stack: string) => stackServicesOf(b, stack);
  const made = (stack: string) => stackMade(b, stack, { networkOptions: true });
  const removeStack = (stack: string) => removeStackOf(b, stack);
  const gone = (stack: string) => stackGone(b, stack, 240);

  /** Tags the test image as every image the corpus names, on every node of a real swarm. */
  async function tagImages() {
    const images = new Set<string>();
    for (const file of REAL_WORLD_FILES) {
      for (const s of Object.values(loadCompose([join(realWorld, file)]).file.services as Record<string, any>)) images.add(String(s.image));
    }
    const ctl = process.env.SWARMDECK_TEST_NODE_CTL;
    if (b.name === 'engine' && ctl) {
      const nodes = ((await b.docker.listNodes()) as any[]).map((n) => String(n.Description.Hostname));
      const [cmd, ...pre] = ctl.split(' ');
      for (const node of nodes) {
        // Each node's own engine (realswarm.sh host NODE), then one tag per image: `docker -H ENGINE tag local/busybox:1 IMAGE`.
        const engine = await dockerFor(execFileSync(cmd, [...pre, 'host', node], { encoding: 'utf8', timeout: 60_000 }).trim());
        for (const image of images) await engine.getImage('local/busybox:1').tag(repoAndTag(image));
      }
    } else if (b.name === 'simulator') {
      // The simulator's image API (where it has one) takes the same tags; without it, specs are compared all the same.
      for (const image of images)
        await b.docker
          .getImage('local/busybox:1')
          .tag(repoAndTag(image))
          .catch(() => {});
    }
  }

  describe.skipIf(!hasDockerCli)(`real-world stack files (${label})`, () => {
    beforeAll(async () => {
      b = await open();
      client = new SwarmClient({ ...parseHost(b.host, {}, undefined), label });
      for (const [k, v] of Object.entries(REAL_WORLD_ENV)) {
        saved[k] = process.env[k];
        process.env[k] = v;
      }
      await tagImages();
      await b.docker.createNetwork({ Name: EXTERNAL_NETWORK, Driver: 'overlay', Attachable: true } as any).catch(() => {});
      for (const name of EXTERNAL_SECRETS)
        await b.docker.createSecret({ Name: name, Data: Buffer.from(`${name}-data`).toString('base64') } as any).catch(() => {});
    }, 300_000);

    afterAll(async () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      if (!b) return;
      for (const secret of (await b.docker.listSecrets()) as any[]) {
        if (EXTERNAL_SECRETS.includes(secret.Spec.Name))
          await b.docker
            .getSecret(secret.ID)
            .remove()
            .catch(() => {});
      }
      await b.docker
        .getNetwork(EXTERNAL_NETWORK)
        .remove()
        .catch(() => {});
      await b.close();
    }, 120_000);

    REAL_WORLD_FILES.forEach((file, i) => {
      test(`${file}: docker stack deploy and swarmdeck deploy make the same; re-deploys and the dry run send nothing`, async () => {
        const path = join(realWorld, file);
        const theirsStack = `rw${i}a${tag}`;
        const oursStack = `rw${i}b${tag}`;
        let theirs;
        try {
          const cli = await dockerCli(b.host, ['stack', 'deploy', '--resolve-image', 'never', '-c', path, theirsStack]);
          expect(cli.code, cli.stderr).toBe(0);
          theirs = await made(theirsStack);
          expect(theirs.services.length).toBeGreaterThan(0);

          // Our plan over the stack the CLI made, on the specs as the manager stores them: nothing to change.
          const over = await planStack(client, theirsStack, convertStack(loadCompose([path]), theirsStack), false);
          expect(over.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'external').map((e) => [e.action, e.name, e.changes])).toEqual([]);
        } finally {
          // Published ingress ports are the swarm's to give once: theirs goes before ours comes.
          await removeStack(theirsStack);
          await gone(theirsStack);
        }
        try {
          const plan = await planStack(client, oursStack, convertStack(loadCompose([path]), oursStack), false);
          await applyPlan(client, plan, () => {});
          const ours = await made(oursStack);
          expect(ours).toEqual(theirs);

          // The same file again: nothing planned, nothing sent, no version bumped.
          const before = (await stackServices(oursStack)).map((s) => [s.Spec.Name, s.Version.Index]).sort();
          const again = await planStack(client, oursStack, convertStack(loadCompose([path]), oursStack), false);
          expect(again.entries.filter((e) => e.action !== 'unchanged' && e.action !== 'external').map((e) => [e.action, e.name, e.changes])).toEqual([]);
          await applyPlan(client, again, () => {});
          const after = (await stackServices(oursStack)).map((s) => [s.Spec.Name, s.Version.Index]).sort();
          expect(after).toEqual(before);

          // The dry run, as a user runs it: nothing to create or update.
          let printed = '';
          const out = new Writable({
            write(chunk, _enc, done) {
              printed += String(chunk);
              done();
            },
          });
          const code = await runDeploy({ host: [b.host], composeFile: [path], dryRun: true }, oursStack, out);
          expect(code).toBe(0);
          expect(printed).toMatch(/0 to create, 0 to update, \d+ unchanged/);
        } finally {
          await removeStack(oursStack);
          await gone(oursStack);
        }
      }, 300_000);
    });
  });
}
