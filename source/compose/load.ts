import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import AjvModule from 'ajv';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { yamlErrorText } from './yaml-error.js';
import { MAX_COMPOSE_BYTES, readBounded } from './bounds.js';
import { ComposeError } from './load-error.js';
import { COMPOSE_SCHEMA } from './schema.js';
import { stringMap } from './words.js';

/**
 * Compose files read as the docker CLI reads them for `docker stack deploy`: YAML with anchors and
 * merge keys, `${VAR}` interpolation from the environment and the `.env` beside the first file,
 * several files merged in order, and the keys a swarm ignores named in a warning.
 */

/** A compose file's content, loosely typed: the converter reads what it knows. */
export type ComposeFile = Record<string, any>;

export { ComposeError } from './load-error.js';

/** The service keys `docker stack deploy` ignores, with the CLI's warning. */
const UNSUPPORTED = [
  'build',
  'cgroup_parent',
  'container_name',
  'devices',
  'depends_on',
  'external_links',
  'links',
  'network_mode',
  'security_opt',
  'userns_mode',
  'privileged',
];

/** `mode: 0400` is octal, as the docker CLI's YAML reads it (YAML 1.2 alone would read four hundred). */
const LEGACY_OCTAL = {
  identify: (value: unknown) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^0[0-7]+$/,
  resolve: (text: string) => parseInt(text, 8),
};

/** Reads a `.env` file: KEY=VALUE lines, # comments, optional quotes. */
export function readDotEnv(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(path)) return out;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    out[line.slice(0, eq).trim()] = value;
  }
  return out;
}

/** `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `$$`; a required one missing is an error naming it. */
export function interpolate(text: string, env: Record<string, string | undefined>, where: string): string {
  return text.replace(/\$(\$|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, _all, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    if (bare !== undefined) return env[bare] ?? '';
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])(.*))?$/s.exec(braced ?? '');
    if (!m) throw new ComposeError(`${where}: invalid interpolation format for "${whole}"`);
    const [, name, colon, op, arg] = m;
    const value = env[name];
    const missing = value === undefined || (colon === ':' && value === '');
    if (op === '-') return missing ? arg : value!;
    if (op === '?') {
      if (missing) throw new ComposeError(`${where}: required variable ${name} is missing a value: ${arg || name}`);
      return value!;
    }
    return value ?? '';
  });
}

/** Interpolates every string of a parsed file (keys stay as written). */
function interpolateAll(value: unknown, env: Record<string, string | undefined>, where: string): unknown {
  if (typeof value === 'string') return interpolate(value, env, where);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, env, where));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env, `${where}.${k}`)]));
  }
  return value;
}

/** Later files override earlier ones: mappings merge key by key, anything else is replaced. */
function merge(base: unknown, over: unknown): unknown {
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as object) };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return over;
}

// Ajv's CommonJS default export, as an ES module sees it.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as new (options: object) => {
  compile(
    schema: object,
  ): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] | null };
};
// Interpolated values are strings ("replicas: ${N:-2}"): numbers and booleans are taken from them, as the CLI casts them.
let validator: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;
const validate = () => (validator ??= new Ajv({ strict: false, coerceTypes: true }).compile(COMPOSE_SCHEMA));

/** One file parsed, with its position in errors. */
function parseFile(path: string, env: Record<string, string | undefined>): ComposeFile {
  const text = readBounded(path, MAX_COMPOSE_BYTES, 'compose file').toString('utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { merge: true, prettyErrors: false, lineCounter, customTags: (tags) => [LEGACY_OCTAL, ...tags] });
  if (doc.errors.length > 0) throw new ComposeError(yamlErrorText(path, text, doc, doc.errors[0], lineCounter));
  if (!isMap(doc.contents)) throw new ComposeError(`${path}: a compose file is a mapping with services:, networks:, ...`);
  const file = interpolateAll(doc.toJS(), env, path) as ComposeFile;
  const check = validate();
  if (!check(file)) {
    const errors = check.errors ?? [];
    const error = errors.find((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf') ?? errors[0];
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const node = doc.getIn(
      segments.map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
      true,
    ) as { range?: [number, number, number] } | undefined;
    const at = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    const key = segments.join('.') || '(the file)';
    const allowed = Array.isArray(error.params.allowedValues) ? `: ${error.params.allowedValues.join(', ')}` : '';
    const extra = typeof error.params.additionalProperty === 'string' ? ` (${error.params.additionalProperty})` : '';
    throw new ComposeError(`${path}${at ? `:${at.line}:${at.col}` : ''}: ${key} ${error.message}${allowed}${extra}`);
  }
  return file;
}

/** The loaded stack: the merged file, the directory relative paths are read from, the environment variables are looked up in, and the warnings the CLI would print. */
export interface LoadedCompose {
  file: ComposeFile;
  dir: string;
  env: Record<string, string | undefined>;
  warnings: string[];
}

/**
 * The keys the CLI reads as maps of strings, made maps of strings here once: a list of `key=value`
 * (or `key` alone: "") is a map, and YAML numbers and booleans are the strings the CLI sends
 * (`n: 1.50` is "1.5"), for services, containers, networks, volumes, configs and secrets alike.
 */
function asStrings(file: ComposeFile): ComposeFile {
  const each = (section: unknown, fn: (o: Record<string, any>) => void) => {
    for (const o of Object.values((section ?? {}) as Record<string, any>)) if (o && typeof o === 'object') fn(o);
  };
  const set = (o: Record<string, any>, key: string, value: unknown) => {
    if (value !== undefined) o[key] = value;
  };
  each(file.services, (s) => {
    set(s, 'labels', stringMap(s.labels));
    if (s.deploy && typeof s.deploy === 'object') set(s.deploy, 'labels', stringMap(s.deploy.labels));
    set(s, 'sysctls', stringMap(s.sysctls));
    if (s.logging && typeof s.logging === 'object') set(s.logging, 'options', stringMap(s.logging.options));
  });
  for (const kind of ['networks', 'volumes', 'secrets', 'configs']) {
    each(file[kind], (o) => {
      set(o, 'labels', stringMap(o.labels));
      set(o, 'driver_opts', stringMap(o.driver_opts));
    });
  }
  return file;
}

/** Reads and merges the files given with -c, in order. */
export function loadCompose(paths: string[], environment: NodeJS.ProcessEnv = process.env): LoadedCompose {
  if (paths.length === 0) throw new ComposeError('give a compose file with -c FILE');
  const dir = dirname(resolve(paths[0]));
  const env = { ...readDotEnv(join(dir, '.env')), ...environment };
  let file: ComposeFile = {};
  for (const path of paths) file = merge(file, parseFile(path, env)) as ComposeFile;
  const services = file.services;
  if (!services || typeof services !== 'object' || Array.isArray(services)) throw new ComposeError(`${paths.join(', ')}: no services: mapping`);
  const warnings: string[] = [];
  const ignored = new Set<string>();
  for (const [name, service] of Object.entries(services as Record<string, any>)) {
    if (!service || typeof service !== 'object') throw new ComposeError(`${paths[0]}: services.${name} must be a mapping`);
    if (!service.image) throw new ComposeError(`${paths[0]}: services.${name}.image is required for a stack (build is not supported)`);
    for (const key of UNSUPPORTED) if (key in service) ignored.add(key);
  }
  if (ignored.size > 0) warnings.push(`Ignoring unsupported options: ${[...ignored].sort().join(', ')}`);
  return { file: asStrings(file), dir, env, warnings };
}
