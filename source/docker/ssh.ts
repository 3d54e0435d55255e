import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, type AgentOptions } from 'node:http';
import { Duplex } from 'node:stream';

/** Where an ssh:// endpoint leads: as the docker CLI reads DOCKER_HOST=ssh://[user@]host[:port]. */
export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
}

/** The arguments the docker CLI gives ssh for an ssh:// host: the user's ssh config, keys, agent and known hosts do the rest. */
export function sshArgs(target: SshTarget): string[] {
  const args = ['-o', 'ConnectTimeout=30', '-T'];
  if (target.user) args.push('-l', target.user);
  if (target.port) args.push('-p', String(target.port));
  return [...args, '--', target.host, 'docker', 'system', 'dial-stdio'];
}

/**
 * One connection to the remote engine: the stdin and stdout of `ssh HOST docker system dial-stdio`,
 * which relays them to the engine's socket there. When ssh fails, the error says what ssh said.
 */
class DialStdio extends Duplex {
  private readonly child: ChildProcess;
  private stderr = '';
  private gotData = false;

  constructor(target: SshTarget) {
    super();
    this.child = spawn('ssh', sshArgs(target), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.gotData = true;
      if (!this.push(chunk)) this.child.stdout!.pause();
    });
    // A write to an ssh that has gone is answered by its exit status below, not by EPIPE.
    this.child.stdin!.on('error', () => {});
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000)));
    this.child.on('error', (error: NodeJS.ErrnoException) =>
      this.destroy(
        Object.assign(new Error(error.code === 'ENOENT' ? 'ssh:// needs the ssh command on PATH (OpenSSH), as the docker CLI does' : `ssh: ${error.message}`), {
          code: 'ESSH',
        }),
      ),
    );
    // 'close' comes after ssh exited and its output was read: its status says how the stream ended.
    this.child.on('close', (code) => {
      if (this.destroyed) return;
      if (code === 0) return void this.push(null);
      const said = this.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exited with code ${code}`;
      // Before any answer it is ssh (or the remote docker) refusing; after, the link was lost.
      const message = this.gotData ? `the ssh connection to ${target.host} ended: ${said}` : `ssh ${target.host}: ${said}`;
      this.destroy(Object.assign(new Error(message), { code: 'ESSH' }));
    });
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.child.stdin?.writable) return callback();
    this.child.stdin.write(chunk, () => callback());
  }

  override _final(callback: () => void): void {
    this.child.stdin?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null) this.child.kill();
    callback(error);
  }

  // What Node's HTTP client asks of a socket; a pipe has nothing to tune.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** An HTTP agent whose connections are ssh processes running `docker system dial-stdio` on the manager. */
export class SshAgent extends Agent {
  constructor(
    private readonly target: SshTarget,
    options: AgentOptions = {},
  ) {
    // Kept alive: each connection is an ssh handshake.
    super({ keepAlive: true, ...options });
  }

  override createConnection(): Duplex {
    return new DialStdio(this.target);
  }
}
