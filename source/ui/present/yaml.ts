import { maskUrlCredentials, SECRET_NAME } from './diff.js';

/** What masked values are replaced with. */
export const MASK = '******';

/** The lists whose entries are NAME=value or --name=value (env, a command's arguments). */
const PAIR_LISTS = new Set(['Env', 'Args', 'Command']);

/**
 * Masks what must not be shown by default in an inspected object: values whose names look secret
 * (env entries, labels, `--password=...` and `--password VALUE` in a command), credentials in URLs
 * anywhere, and the swarm's join tokens. Returns a copy; `reveal` returns it as is.
 */
export function maskSecrets(value: unknown, reveal: boolean, key = ''): unknown {
  if (reveal) return value;
  if (Array.isArray(value)) {
    if (PAIR_LISTS.has(key)) return value.map((entry, i) => (typeof entry === 'string' ? maskArg(entry, value[i - 1]) : entry));
    return value.map((item) => maskSecrets(item, reveal));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (key === 'JoinTokens' && typeof v === 'string') out[k] = MASK;
      else if (key === 'Labels' && typeof v === 'string') out[k] = SECRET_NAME.test(k) ? MASK : maskUrlCredentials(v);
      else out[k] = maskSecrets(v, reveal, k);
    }
    return out;
  }
  return typeof value === 'string' ? maskUrlCredentials(value) : value;
}

/** One entry of an env list or a command: NAME=value, --name=value, or the value after a secret-looking --name. */
function maskArg(entry: string, previous: unknown): string {
  if (typeof previous === 'string' && /^--?[\w.-]+$/.test(previous) && SECRET_NAME.test(previous) && !entry.startsWith('-')) return MASK;
  const eq = entry.indexOf('=');
  if (eq > 0 && SECRET_NAME.test(entry.slice(0, eq))) return `${entry.slice(0, eq + 1)}${MASK}`;
  return maskUrlCredentials(entry);
}

const PLAIN = /^[A-Za-z0-9_./@:+-][A-Za-z0-9_ ./@:+=,-]*$/;

/** A scalar as YAML writes it: plain when unambiguous, else JSON-quoted (which YAML reads too). */
function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  if (
    text === '' ||
    !PLAIN.test(text) ||
    /^(true|false|null|yes|no|on|off|~)$/i.test(text) ||
    /^[-+]?[0-9.]+$/.test(text) ||
    text.endsWith(' ') ||
    text.includes(': ')
  ) {
    return JSON.stringify(text);
  }
  return text;
}

/** An object as YAML lines (block style; empty maps and lists inline), keys in the engine's order. */
export function toYaml(value: unknown, indent = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    const lines: string[] = [];
    for (const item of value) {
      if (item && typeof item === 'object' && Object.keys(item).length > 0) {
        const inner = toYaml(item, `${indent}  `);
        lines.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
      } else lines.push(`${indent}- ${item && typeof item === 'object' ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`);
    }
    return lines;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${indent}{}`];
    const lines: string[] = [];
    for (const [key, v] of entries) {
      const k = PLAIN.test(key) ? key : JSON.stringify(key);
      if (v && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
        lines.push(`${indent}${k}:`, ...toYaml(v, Array.isArray(v) ? indent : `${indent}  `));
      } else if (v && typeof v === 'object') lines.push(`${indent}${k}: ${Array.isArray(v) ? '[]' : '{}'}`);
      else lines.push(`${indent}${k}: ${scalar(v)}`);
    }
    return lines;
  }
  return [`${indent}${scalar(value)}`];
}

/** The inspect view's text: YAML or JSON lines, secrets masked unless revealed. */
export function inspectLines(object: unknown, format: 'yaml' | 'json', reveal: boolean): string[] {
  const shown = maskSecrets(object, reveal);
  return format === 'json' ? JSON.stringify(shown, null, 2).split('\n') : toYaml(shown);
}
