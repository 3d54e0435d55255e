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

// A YAML mistake names where the problem starts (the parser often notices it later), in one sentence, as file:line:col.
test.each([
  ['a tab as indentation: the tab', 'services:\n  web:\n    image: nginx\n\tports:\n      - "80:80"\n', '4:1: Tabs are not allowed as indentation'],
  [
    'a key indented too little: the key',
    'services:\n  web:\n    image: nginx\n   ports:\n      - "80:80"\n',
    '4:4: All mapping items must start at the same column',
  ],
  [
    'a key indented too far: the key',
    'services:\n  web:\n    image: nginx\n    environment:\n      A: "1"\n     B: "2"\n',
    '6:6: All mapping items must start at the same column',
  ],
  [
    'a quote never closed: the opening quote',
    'services:\n  web:\n    image: "nginx\n    ports: []\n',
    '3:12: Missing closing "quote (noticed at line 5, column 1)',
  ],
  [
    'a flow list never closed: its [',
    'services:\n  web:\n    image: nginx\n    ports: [80,\n      81\n    environment: {}\n',
    '4:12: Flow sequence in block collection must be sufficiently indented and end with a ] (noticed at line 6, column 5)',
  ],
  ['a key given twice: the second one', 'services:\n  web:\n    image: nginx\n    image: redis\n', '4:5: Map keys must be unique'],
])('YAML: %s', (_what, text, expected) => {
  const path = file(text);
  let message = '';
  try {
    loadCompose([path]);
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toBe(`${path}:${expected}`);
});
