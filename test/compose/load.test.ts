import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { convertStack } from '../../source/compose/convert.js';
import { loadCompose } from '../../source/compose/load.js';

// Compose files checked against the schema of what a swarm deploy reads, before anything is converted.
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const file = (text: string) => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-load-'));
  writeFileSync(join(dir, 'docker-compose.yml'), text);
  return join(dir, 'docker-compose.yml');
};

test('a value of the wrong type is named with its file, line, column and key', () => {
  const path = file('services:\n  web:\n    image: nginx\n    deploy:\n      replicas: many\n');
  expect(() => loadCompose([path])).toThrow(`${path}:5:17: services.web.deploy.replicas must be integer`);
});

test('a value that is not one of the allowed ones lists them', () => {
  const path = file('services:\n  web:\n    image: nginx\n    deploy:\n      mode: everywhere\n');
  expect(() => loadCompose([path])).toThrow(`${path}:5:13: services.web.deploy.mode must be equal to one of the allowed values: replicated, global`);
});

test('a misspelt top-level key is refused by name', () => {
  const path = file('servicse:\n  web:\n    image: nginx\n');
  expect(() => loadCompose([path])).toThrow('must NOT have additional properties (servicse)');
});

test('an interpolated number is a number, as the CLI casts it', () => {
  const path = file('services:\n  web:\n    image: nginx\n    deploy:\n      replicas: ${REPLICAS:-3}\n');
  const stack = convertStack(loadCompose([path], {}), 's');
  expect(stack.services[0].Mode).toEqual({ Replicated: { Replicas: 3 } });
});

test('extension fields (x-*) are allowed and anchors from them are used', () => {
  const path = file('x-env: &env\n  LOG: debug\nservices:\n  web:\n    image: nginx\n    environment: *env\n');
  expect(convertStack(loadCompose([path], {}), 's').services[0].TaskTemplate.ContainerSpec.Env).toEqual(['LOG=debug']);
});
