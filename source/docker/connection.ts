import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where to reach a Docker engine, in the shape dockerode takes, and how to name it on screen. */
export interface Endpoint {
  /** What the header shows: the DOCKER_HOST-style URL, and the context when one was used. */
  label: string;
  url: string;
  options: {
    socketPath?: string;
    host?: string;
    port?: number;
    protocol?: 'http' | 'https';
    ca?: Buffer;
    cert?: Buffer;
    key?: Buffer;
  };
  /** For ssh://: reached through the system ssh running `docker system dial-stdio` there, as the docker CLI does. */
  ssh?: { host: string; user?: string; port?: number };
}

/** A configuration mistake the user must fix (exit code 2), as opposed to an unreachable endpoint. */
export class ConfigError extends Error {}

/** What decides the endpoint: flags first, then the environment, then ~/.docker. */
export interface ConnectionInput {
  hosts?: string[];
  context?: string;
  env?: NodeJS.ProcessEnv;
  /** The docker config directory (DOCKER_CONFIG, else ~/.docker). */
  configDir?: string;
  /** --tlsverify, --tlscacert, --tlscert, --tlskey, as the docker CLI takes them. */
  tls?: TlsFlags;
}

/** TLS as the docker CLI's flags give it: verify the engine against a CA, and present a client certificate. */
export interface TlsFlags {
  verify?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

/** Resolves the endpoints as the docker CLI does: -H, --context, DOCKER_HOST, DOCKER_CONTEXT, the current context, the default socket. */
export function resolveEndpoints(input: ConnectionInput): Endpoint[] {
  const env = input.env ?? process.env;
  const configDir = input.configDir ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const hosts = input.hosts?.filter((h) => h !== '') ?? [];
  if (hosts.length > 0 && input.context) {
    throw new ConfigError('conflicting options: either specify --host or --context, not both');
  }
  if (hosts.length > 0) return hosts.map((h) => withTlsFlags(parseHost(h, env, undefined), input.tls, env));
  if (input.tls && (input.tls.verify || input.tls.ca || input.tls.cert || input.tls.key) && !env.DOCKER_HOST) {
    throw new ConfigError('--tlsverify and the --tls* files go with a tcp:// host: give -H tcp://HOST:2376 (or DOCKER_HOST)');
  }
  if (input.context) return [contextEndpoint(input.context, configDir, env)];
  if (env.DOCKER_HOST) return [withTlsFlags(parseHost(env.DOCKER_HOST, env, undefined), input.tls, env)];
  const current = env.DOCKER_CONTEXT || currentContext(configDir);
  if (current && current !== 'default') return [contextEndpoint(current, configDir, env)];
  return [parseHost(DEFAULT_SOCKET, env, undefined)];
}

function currentContext(configDir: string): string | undefined {
  const file = join(configDir, 'config.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { currentContext?: string }).currentContext;
  } catch {
    throw new ConfigError(`${file} is not valid JSON`);
  }
}

/** The names of the docker contexts under the config directory, "default" first. */
export function listContexts(configDir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker')): { name: string; host: string }[] {
  const out = [{ name: 'default', host: process.env.DOCKER_HOST ?? DEFAULT_SOCKET }];
  const meta = join(configDir, 'contexts', 'meta');
  if (!existsSync(meta)) return out;
  for (const dir of readdir(meta)) {
    try {
      const data = JSON.parse(readFileSync(join(meta, dir, 'meta.json'), 'utf8')) as ContextMeta;
      out.push({ name: data.Name, host: data.Endpoints?.docker?.Host ?? '' });
    } catch {
      // An unreadable context is skipped here; selecting it reports the problem.
    }
  }
  return out;
}

function readdir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

interface ContextMeta {
  Name: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

function contextEndpoint(name: string, configDir: string, env: NodeJS.ProcessEnv): Endpoint {
  if (name === 'default') return parseHost(env.DOCKER_HOST || DEFAULT_SOCKET, env, 'default');
  const digest = createHash('sha256').update(name).digest('hex');
  const file = join(configDir, 'contexts', 'meta', digest, 'meta.json');
  if (!existsSync(file)) throw new ConfigError(`context "${name}" does not exist`);
  let meta: ContextMeta;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8')) as ContextMeta;
  } catch {
    throw new ConfigError(`context "${name}": ${file} is not valid JSON`);
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host) throw new ConfigError(`context "${name}" has no docker endpoint`);
  const endpoint = parseHost(host, {}, name);
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  if (endpoint.options.protocol === 'https' || existsSync(join(tlsDir, 'ca.pem'))) {
    if (existsSync(tlsDir)) {
      endpoint.options.protocol = 'https';
      Object.assign(endpoint.options, readCerts(tlsDir, `context "${name}"`));
    }
  }
  return endpoint;
}

function readCerts(dir: string, owner: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new ConfigError(`${owner}: missing TLS file ${path}`);
    return readFileSync(path);
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

/** Applies --tlsverify and the --tls* files to a tcp:// endpoint: files not named come from DOCKER_CERT_PATH (else ~/.docker), as the docker CLI reads them. */
function withTlsFlags(endpoint: Endpoint, tls: TlsFlags | undefined, env: NodeJS.ProcessEnv): Endpoint {
  if (!tls || !(tls.verify || tls.ca || tls.cert || tls.key)) return endpoint;
  if (!endpoint.options.host || endpoint.ssh) throw new ConfigError(`--tlsverify and the --tls* files go with a tcp:// host, not ${endpoint.url}`);
  const dir = env.DOCKER_CERT_PATH || join(env.HOME ?? homedir(), '.docker');
  const read = (given: string | undefined, name: string, flag: string) => {
    const path = given ?? join(dir, name);
    if (!existsSync(path)) throw new ConfigError(`${flag}: no such file ${path}`);
    return readFileSync(path);
  };
  const options = { ...endpoint.options, protocol: 'https' as const, ca: read(tls.ca, 'ca.pem', '--tlscacert') };
  // A client certificate is optional; named, it must be there, with its key.
  if (tls.cert || tls.key || existsSync(join(dir, 'cert.pem')))
    Object.assign(options, { cert: read(tls.cert, 'cert.pem', '--tlscert'), key: read(tls.key, 'key.pem', '--tlskey') });
  // The docker CLI's default TLS port when none was given.
  if (!/:\d+$/.test(endpoint.url.replace(/\/$/, ''))) options.port = 2376;
  return { ...endpoint, options };
}

/** Parses one DOCKER_HOST-style URL; TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for tcp. */
export function parseHost(raw: string, env: NodeJS.ProcessEnv, context: string | undefined): Endpoint {
  const label = context && context !== 'default' ? `${raw} (context ${context})` : raw;
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new ConfigError(`invalid DOCKER_HOST "${raw}": a unix socket path must be absolute`);
    return { label, url: raw, options: { socketPath } };
  }
  if (raw.startsWith('/')) return { label, url: `unix://${raw}`, options: { socketPath: raw } };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`invalid DOCKER_HOST "${raw}": expected unix:///path, tcp://host:port or ssh://user@host`);
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = url.protocol === 'https:' || (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0');
    const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
    if (!url.hostname) throw new ConfigError(`invalid DOCKER_HOST "${raw}": no host name`);
    const endpoint: Endpoint = { label, url: raw, options: { host: url.hostname, port, protocol: tls ? 'https' : 'http' } };
    if (tls && env.DOCKER_TLS_VERIFY) {
      const dir = env.DOCKER_CERT_PATH || join(env.HOME ?? homedir(), '.docker');
      Object.assign(endpoint.options, readCerts(dir, 'DOCKER_TLS_VERIFY is set but'));
    }
    return endpoint;
  }
  if (url.protocol === 'ssh:') {
    if (!url.hostname) throw new ConfigError(`invalid DOCKER_HOST "${raw}": no host name`);
    if (url.pathname && url.pathname !== '/') throw new ConfigError(`invalid DOCKER_HOST "${raw}": an ssh:// host takes no path`);
    // User and port left out are ssh's to decide (~/.ssh/config), as with the docker CLI.
    const ssh = { host: url.hostname, user: decodeURIComponent(url.username) || undefined, port: url.port ? Number(url.port) : undefined };
    return { label, url: raw, options: { protocol: 'http', host: url.hostname }, ssh };
  }
  throw new ConfigError(`invalid DOCKER_HOST "${raw}": unsupported scheme ${url.protocol.replace(':', '')}; use unix://, tcp:// or ssh://`);
}
