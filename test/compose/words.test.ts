import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { taggedImage } from '../../source/compose/image-ref.js';
import { loadCompose } from '../../source/compose/load.js';
import { convertStack } from '../../source/compose/convert.js';
import { goNumber, splitWords } from '../../source/compose/words.js';
import { hasDockerCli } from '../helpers/docker-cli.js';

// The oracle is the docker CLI's own compose loader: `docker stack config -c FILE` prints the file as
// the CLI reads it (commands split into words, labels as maps of strings, bind paths made absolute),
// and needs no engine. Random inputs go through it and through ours, and must come out the same.
const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI's reading of a compose file, or its error. */
function cliConfig(text: string): { config?: any; error?: string } {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  try {
    const out = execFileSync('docker', ['stack', 'config', '-c', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock', DOCKER_CONTEXT: '' },
    });
    return { config: parse(out) };
  } catch (error) {
    return { error: String((error as { stderr?: string }).stderr ?? error) };
  }
}

// Characters that make shell words interesting; `$` is left out (the compose file interpolates it first).
const wordChar = fc.constantFrom('a', 'b', 'Z', '0', ' ', ' ', '\t', '\n', '"', "'", '\\', '#', '|', ';', '=', '(', '`', '*', '~', 'é');
const commandText = fc.array(wordChar, { maxLength: 24 }).map((cs) => cs.join(''));

describe.skipIf(!hasDockerCli)('conversion against the docker CLI as the oracle', () => {
  test('command strings split into the same words as the CLI splits them, and the same strings are refused', () => {
    const cases = fc.sample(commandText, { numRuns: 300, seed: 42 });
    cases.push(`echo "a b" 'c d' e\\ f`, `"x\\"y" z`, `a "b\\nc"`, `a|b c;d`, `echo # comment`, `a#b`, `'a'"b"c`, `""`, `a\\\\b`, '--rule=Host(`x`)');
    const ours = cases.map((c) => {
      try {
        return splitWords(c);
      } catch {
        return undefined;
      }
    });
    // Every string we split, in one file: the CLI splits each the same.
    const accepted = cases.filter((_, i) => ours[i] !== undefined);
    const services = accepted.map((c, i) => `  s${i}:\n    image: x\n    command: ${JSON.stringify(c)}\n`).join('');
    const { config, error } = cliConfig(`version: "3.8"\nservices:\n${services}`);
    expect(error).toBeUndefined();
    accepted.forEach((c, i) => expect([c, config.services[`s${i}`].command ?? []]).toEqual([c, ours[cases.indexOf(c)]]));
    // The ones we refuse (an open quote, a trailing backslash): the CLI refuses them too.
    const refused = cases.filter((_, i) => ours[i] === undefined).slice(0, 4);
    expect(refused.length).toBeGreaterThan(0);
    for (const c of refused) expect(cliConfig(`services:\n  s:\n    image: x\n    command: ${JSON.stringify(c)}\n`).error, c).toBeDefined();
  }, 120_000);

  test('labels given as lists or maps of numbers and strings are the maps of strings the CLI makes, everywhere', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9.]{0,6}$/);
    const scalar = fc.oneof(
      fc.integer({ min: -100000, max: 100000 }),
      fc.double({ min: -1e7, max: 1e7, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      fc.stringMatching(/^[a-z0-9 =:.-]{0,8}$/),
    );
    const labels = fc.oneof(
      fc.dictionary(key, scalar, { maxKeys: 4 }),
      fc
        .array(fc.tuple(key, fc.option(fc.stringMatching(/^[a-z0-9=.-]{0,6}$/))), { maxLength: 4 })
        .map((pairs) => pairs.map(([k, v]) => (v === null ? k : `${k}=${v}`))),
    );
    fc.assert(
      fc.property(labels, labels, labels, (service, container, network) => {
        const yaml = (v: unknown) => JSON.stringify(v);
        const text = `version: "3.8"\nservices:\n  s:\n    image: x\n    labels: ${yaml(container)}\n    networks: [n]\n    deploy:\n      labels: ${yaml(service)}\nnetworks:\n  n:\n    labels: ${yaml(network)}\n`;
        const { config, error } = cliConfig(text);
        expect(error).toBeUndefined();
        const file = join(dir, 'mine.yml');
        writeFileSync(file, text);
        const stack = convertStack(loadCompose([file], {}), 'st');
        const strip = (l: Record<string, string>) => Object.fromEntries(Object.entries(l).filter(([k]) => !k.startsWith('com.docker.stack.')));
        expect(strip(stack.services[0].Labels)).toEqual(config.services.s.deploy?.labels ?? {});
        expect(strip(stack.services[0].TaskTemplate.ContainerSpec.Labels)).toEqual(config.services.s.labels ?? {});
        expect(strip(stack.networks[0].spec.Labels as Record<string, string>)).toEqual(config.networks.n?.labels ?? {});
      }),
      { numRuns: 25, seed: 7 },
    );
  }, 120_000);

  test('bind sources are made absolute and cleaned as the CLI makes them; absolute ones are left as written', () => {
    const text = `services:\n  s:\n    image: x\n    volumes:\n      - ./data/:/a\n      - ./x/../y//z/:/b\n      - /var/lib/docker/:/c\n      - data:/d\n      - type: bind\n        source: ./long/\n        target: /e\nvolumes:\n  data:\n`;
    const file = join(dir, 'binds.yml');
    writeFileSync(file, text);
    const { config } = cliConfig(text);
    const mounts = convertStack(loadCompose([file], {}), 'st').services[0].TaskTemplate.ContainerSpec.Mounts;
    const cliSources = config.services.s.volumes.map((v: any) => (v.type === 'bind' ? v.source : `st_${v.source}`));
    expect(mounts.map((m: any) => m.Source)).toEqual(cliSources);
  }, 60_000);
});

describe('image references as the docker client sends them', () => {
  test.each([
    ['redis', 'redis:latest'],
    ['redis:alpine', 'redis:alpine'],
    ['docker.io/library/redis', 'redis:latest'],
    ['index.docker.io/library/redis:7', 'redis:7'],
    ['docker.io/dockersamples/examplevotingapp_vote', 'dockersamples/examplevotingapp_vote:latest'],
    ['gcr.io/cadvisor/cadvisor', 'gcr.io/cadvisor/cadvisor:latest'],
    ['localhost/app', 'localhost/app:latest'],
    ['registry:5000/alpine:frozen', 'registry:5000/alpine:frozen'],
    ['quay.io/prometheus/node-exporter', 'quay.io/prometheus/node-exporter:latest'],
    [`redis@sha256:${'a'.repeat(64)}`, `redis@sha256:${'a'.repeat(64)}`],
    [`redis:7@sha256:${'a'.repeat(64)}`, `redis:7@sha256:${'a'.repeat(64)}`],
    // Not a reference (upper case): sent as written, dockerd says why.
    ['Redis', 'Redis'],
  ])('%s is sent as %s', (given, sent) => {
    expect(taggedImage(given)).toBe(sent);
  });

  test("numbers print as Go's fmt.Sprint prints them", () => {
    expect([1.5, 1, 0.00001, 1234567.5, 100000, -2.25].map(goNumber)).toEqual(['1.5', '1', '1e-05', '1.2345675e+06', '100000', '-2.25']);
  });
});
