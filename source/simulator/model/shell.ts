/**
 * The small shell a simulated container runs for `docker exec`: busybox sh's prompt and words for a
 * handful of commands (hostname, env, cat, ls, ps, echo, exit), "not found" (127) for the rest. It
 * has no I/O: it takes lines and answers text, so the exec handler decides framing and TTY echo.
 */
import { parse } from 'shell-quote';

/** What the shell sees of its container. */
export interface ShellWorld {
  hostname: string;
  /** The process environment, NAME=value. */
  env: string[];
  /** Absolute path -> content of the files the container has (hostname, hosts, secrets, configs). */
  files: Map<string, string>;
  /** The container's main command, for ps. */
  command: string;
  /** The TTY's window, when the exec has one and the client set it (stty size). */
  size?: () => { rows: number; cols: number } | undefined;
}

/** What one command printed and its exit status; `exit` set when the shell itself ends. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  status: number;
  exit?: number;
}

/** busybox sh's prompt for root in /. */
export const PROMPT = '/ # ';

/** The commands the simulated shell knows (anything else is not found); `bash` is deliberately absent, as in busybox images. */
export const SHELL_COMMANDS = ['hostname', 'env', 'cat', 'ls', 'ps', 'echo', 'exit', 'pwd', 'true', 'false', 'sh', 'id', 'stty'] as const;

/** The directories `ls` lists: those of a busybox image, and the files mounted into it. */
function listing(world: ShellWorld, dir: string): string[] | undefined {
  const path = dir.replace(/\/+$/, '') || '/';
  const base = new Map<string, string[]>([
    ['/', ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'run', 'sys', 'tmp', 'usr', 'var']],
    ['/etc', ['group', 'hostname', 'hosts', 'localtime', 'mtab', 'network', 'passwd', 'resolv.conf', 'shadow']],
    ['/run', []],
    ['/home', []],
    ['/tmp', []],
    ['/root', []],
  ]);
  const names = new Set(base.get(path) ?? []);
  let known = base.has(path);
  for (const file of world.files.keys()) {
    if (file === path) return [file.split('/').at(-1)!];
    if (!file.startsWith(path === '/' ? '/' : `${path}/`)) continue;
    known = true;
    names.add(file.slice(path === '/' ? 1 : path.length + 1).split('/')[0]);
  }
  return known ? [...names].sort() : undefined;
}

/** One shell: its last status and how many commands it ran (ps shows it as a growing pid). */
export class SimShell {
  private status = 0;
  private pid = 7;

  constructor(private readonly world: ShellWorld) {}

  /** The environment as the shell expands it. */
  private vars(): Record<string, string> {
    const vars: Record<string, string> = {};
    for (const entry of this.world.env) {
      const eq = entry.indexOf('=');
      if (eq > 0) vars[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    vars['?'] = String(this.status);
    return vars;
  }

  /** Runs one line (commands joined by ; run in turn); an `exit` ends the shell and the rest of the line. */
  run(line: string): CommandResult {
    let words: ReturnType<typeof parse>;
    try {
      words = parse(line, this.vars());
    } catch {
      this.status = 2;
      return { stdout: '', stderr: 'sh: syntax error: unterminated quoted string\n', status: 2 };
    }
    const out: CommandResult = { stdout: '', stderr: '', status: this.status };
    let argv: string[] = [];
    const flush = (): boolean => {
      if (argv.length === 0) return false;
      const result = this.command(argv);
      argv = [];
      out.stdout += result.stdout;
      out.stderr += result.stderr;
      out.status = this.status = result.status;
      if (result.exit !== undefined) out.exit = result.exit;
      return result.exit !== undefined;
    };
    for (const word of words) {
      if (typeof word === 'string') argv.push(word);
      else if ('op' in word && (word.op === ';' || word.op === '&&' || word.op === '||')) {
        if (flush()) return out;
        if ((word.op === '&&' && this.status !== 0) || (word.op === '||' && this.status === 0)) return out;
      } else if ('comment' in word) break;
      else argv.push('op' in word ? String(word.op) : '');
    }
    flush();
    return out;
  }

  /** Runs one command. */
  command(argv: string[]): CommandResult {
    this.pid += 1;
    const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', status: 0 });
    const fail = (stderr: string, status = 1): CommandResult => ({ stdout: '', stderr, status });
    const [name, ...args] = argv;
    switch (name) {
      case 'hostname':
        return ok(`${this.world.hostname}\n`);
      case 'env':
        return ok(this.world.env.map((e) => `${e}\n`).join(''));
      case 'echo': {
        const newline = args[0] !== '-n';
        return ok(`${(newline ? args : args.slice(1)).join(' ')}${newline ? '\n' : ''}`);
      }
      case 'pwd':
        return ok('/\n');
      case 'id':
        return ok('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
      case 'true':
        return ok('');
      case 'false':
        return fail('');
      case 'cat': {
        let stdout = '';
        let stderr = '';
        for (const path of args) {
          const content = this.world.files.get(path.startsWith('/') ? path : `/${path}`);
          if (content !== undefined) stdout += content;
          else stderr += listing(this.world, path) ? `cat: read error: Is a directory\n` : `cat: can't open '${path}': No such file or directory\n`;
        }
        return { stdout, stderr, status: stderr ? 1 : 0 };
      }
      case 'ls': {
        const dirs = args.filter((a) => !a.startsWith('-'));
        let stdout = '';
        let stderr = '';
        for (const dir of dirs.length ? dirs : ['/']) {
          const names = listing(this.world, dir.startsWith('/') ? dir : `/${dir}`);
          if (!names) stderr += `ls: ${dir}: No such file or directory\n`;
          else stdout += (dirs.length > 1 ? `${dir}:\n` : '') + names.map((n) => `${n}\n`).join('');
        }
        return { stdout, stderr, status: stderr ? 1 : 0 };
      }
      case 'ps': {
        const rows = [
          ['1', this.world.command],
          [String(this.pid - 1), 'sh'],
          [String(this.pid), ['ps', ...args].join(' ')],
        ];
        return ok(`PID   USER     COMMAND\n${rows.map(([pid, cmd]) => `${pid.padStart(5)} root     ${cmd}\n`).join('')}`);
      }
      case 'exit': {
        const code = args[0] === undefined ? this.status : Number.parseInt(args[0], 10);
        if (Number.isNaN(code)) return { stdout: '', stderr: `sh: ${args[0]}: bad number\n`, status: 2, exit: 2 };
        return { stdout: '', stderr: '', status: code & 255, exit: code & 255 };
      }
      case 'stty': {
        const size = this.world.size?.();
        if (args[0] !== 'size') return fail(`stty: only "stty size" is simulated\n`);
        return size ? ok(`${size.rows} ${size.cols}\n`) : fail(`stty: standard input: Not a tty\n`);
      }
      case 'command': {
        // The builtin, as scripts ask whether a program is there: `command -v NAME` prints its path.
        if (args[0] !== '-v' || args.length < 2) return fail(`sh: command: only "command -v NAME" is simulated\n`, 2);
        const found = args.slice(1).filter((n) => (SHELL_COMMANDS as readonly string[]).includes(n) && n !== 'exit');
        return { stdout: found.map((n) => `/bin/${n}\n`).join(''), stderr: '', status: found.length === args.length - 1 ? 0 : 1 };
      }
      case 'sh':
        // A nested shell is the same shell here; `sh -c CMD` runs CMD.
        if (args[0] === '-c' && args[1] !== undefined) return this.run(args[1]);
        return ok('');
      default:
        return fail(`sh: ${name}: not found\n`, 127);
    }
  }
}

/** The files dockerd mounts into a task's container: /etc/hostname, /etc/hosts, and its secrets and configs where the spec puts them. */
export function containerFiles(hostname: string, address: string, mounts: { path: string; content: string }[]): Map<string, string> {
  const files = new Map<string, string>([
    ['/etc/hostname', `${hostname}\n`],
    [
      '/etc/hosts',
      `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${address}\t${hostname}\n`,
    ],
    ['/etc/resolv.conf', 'search .\nnameserver 127.0.0.11\noptions ndots:0\n'],
  ]);
  for (const mount of mounts) files.set(mount.path, mount.content);
  return files;
}
