// What went wrong talking to an engine, in the words the user reads: shared by the manager client and the nodes' engines.
import type { Endpoint } from './connection.js';
import { BadAnswerError } from './transport.js';

/** An error from the daemon or the connection, with the daemon's words kept as they were. */
export class DockerError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Certificate and handshake failures, as Node names them. */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|^ERR_SSL_|^ERR_TLS_|^EPROTO$/;

/** Turns a dockerode/socket error into the message the user reads: the daemon's own words, or what went wrong with the connection. */
export function describeError(error: unknown, endpoint?: Endpoint): DockerError {
  const e = error as { statusCode?: number; json?: { message?: string } | null; code?: string; message?: string; reason?: string };
  if (e instanceof DockerError) return e;
  const where = endpoint?.url ?? 'the Docker endpoint';
  // Too slow: the manager is as good as gone (reconnect, fail over). Too large, cut short, not JSON: it answered, but not usably.
  if (e instanceof BadAnswerError) return new DockerError(`${e.message} (from ${where})`, e.code === 'ETIMEDOUT' ? undefined : (e.statusCode ?? 200), e.code);
  if (e?.json && typeof e.json === 'object' && typeof e.json.message === 'string') return new DockerError(e.json.message, e.statusCode);
  if (e?.code === 'ENOENT') return new DockerError(`cannot reach ${where}: no such socket (is Docker running there?)`, undefined, e.code);
  if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    return new DockerError(`permission denied on ${where}: add your user to the docker group, or run with sudo`, undefined, e.code);
  }
  if (e?.code === 'ECONNREFUSED') return new DockerError(`cannot reach ${where}: connection refused`, undefined, e.code);
  if (e?.code === 'ETIMEDOUT' || e?.code === 'EHOSTUNREACH') return new DockerError(`cannot reach ${where}: ${e.code}`, undefined, e.code);
  if (e?.code === 'ECONNRESET' || e?.code === 'EPIPE') return new DockerError(`lost the connection to ${where}`, undefined, e.code);
  if (e?.code && TLS_CODES.test(e.code)) {
    return new DockerError(
      `TLS to ${where} failed (${e.code}): ${e.message ?? ''}; check the CA and client certificate given (DOCKER_CERT_PATH, --tlscacert, --tlscert, --tlskey)`,
      undefined,
      e.code,
    );
  }
  if (typeof e?.statusCode === 'number') {
    // dockerode puts the body in the message ("(HTTP code 404) no such service - service x not found").
    const body = /- (.*)$/s.exec(e.message ?? '')?.[1]?.trim();
    return new DockerError(body || e.reason || e.message || `HTTP ${e.statusCode}`, e.statusCode);
  }
  return new DockerError(e?.message ?? String(error), undefined, e?.code);
}

/** Something the user must fix about where they pointed swarmdeck (not a manager, swarm inactive). */
export class NotAManagerError extends DockerError {}
