import { readFileSync, statSync } from 'node:fs';
import { ComposeError } from './load-error.js';

/**
 * The sane bounds of a deploy's inputs, in words: what swarmdeck refuses to read or send before
 * anything is created (exit 2), rather than reading a device forever or sending what the Engine
 * refuses half-way through.
 */

/** A compose file larger than this is not a stack file. */
export const MAX_COMPOSE_BYTES = 4 * 1024 * 1024;
/** The Engine's limit on a secret's or a config's data (swarmkit's MaxSecretSize, MaxConfigSize). */
export const MAX_OBJECT_BYTES = 500 * 1024;
/** The most replicas swarmdeck asks for, as the console's scale does (and the simulator documents). */
export const MAX_REPLICAS = 100_000;

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

/** Reads a file a deploy needs, refusing what is not a regular file or is larger than `limit` bytes. */
export function readBounded(path: string, limit: number, what: string): Buffer {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    // A compose file is named by its path alone, as before; what another file is for comes first.
    const prefix = what === 'compose file' ? '' : `${what}: `;
    throw new ComposeError(`${prefix}${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`);
  }
  if (!stat.isFile()) {
    const kind = stat.isFIFO()
      ? 'a FIFO'
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? 'a device'
        : stat.isDirectory()
          ? 'a directory'
          : 'not a regular file';
    throw new ComposeError(`${what}: ${path} is ${kind}; swarmdeck reads regular files only`);
  }
  if (stat.size > limit) throw new ComposeError(`${what}: ${path} is ${size(stat.size)}, over the ${size(limit)} ${limitName(limit)}`);
  try {
    return readFileSync(path);
  } catch {
    throw new ComposeError(`${what}: cannot read ${path}`);
  }
}

function limitName(limit: number): string {
  return limit === MAX_OBJECT_BYTES ? 'the Engine takes for a secret or config' : 'swarmdeck reads as a compose file';
}

/** Refuses a replica count past the bound. */
export function checkReplicas(replicas: unknown, where: string): void {
  if (typeof replicas === 'number' && replicas > MAX_REPLICAS) {
    throw new ComposeError(`${where}: ${replicas} replicas is more than swarmdeck will ask for (${MAX_REPLICAS} at most)`);
  }
}
