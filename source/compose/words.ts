import { ComposeError } from './load-error.js';

/**
 * Strings as the docker CLI's compose loader turns them into the values it sends: a `command:` or
 * `entrypoint:` string split into words as its shell lexer splits them, and YAML scalars where the
 * Engine wants strings (label values, driver options) printed as Go's fmt.Sprint prints them.
 */

/**
 * A command string split as the CLI splits it (github.com/google/shlex, no shell): words at
 * spaces, tabs and newlines; '…' keeps everything; "…" keeps everything but a backslash, which
 * takes the next character as it is; a backslash outside quotes does the same; a word starting
 * with # starts a comment to the end of the line. An unclosed quote or a trailing backslash is an
 * error, as it is for the CLI. No variables, globs or operators: `|` and `$X` are plain characters.
 */
export function splitWords(text: string, where = 'command'): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let state: 'start' | 'word' | 'escape' | 'double' | 'double-escape' | 'single' | 'comment' = 'start';
  for (const ch of text) {
    const space = ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
    switch (state) {
      case 'start':
        if (space) break;
        if (ch === '#') state = 'comment';
        else {
          word = '';
          if (ch === '"') state = 'double';
          else if (ch === "'") state = 'single';
          else if (ch === '\\') state = 'escape';
          else {
            word = ch;
            state = 'word';
          }
        }
        break;
      case 'word':
        if (space) {
          out.push(word!);
          word = undefined;
          state = 'start';
        } else if (ch === '"') state = 'double';
        else if (ch === "'") state = 'single';
        else if (ch === '\\') state = 'escape';
        else word += ch;
        break;
      case 'escape':
        word += ch;
        state = 'word';
        break;
      case 'double':
        if (ch === '"') state = 'word';
        else if (ch === '\\') state = 'double-escape';
        else word += ch;
        break;
      case 'double-escape':
        word += ch;
        state = 'double';
        break;
      case 'single':
        if (ch === "'") state = 'word';
        else word += ch;
        break;
      case 'comment':
        if (ch === '\n') state = 'start';
        break;
    }
  }
  if (state === 'double' || state === 'single') throw new ComposeError(`${where}: "${text}" has a quote that is not closed`);
  if (state === 'escape' || state === 'double-escape') throw new ComposeError(`${where}: "${text}" ends with a backslash that escapes nothing`);
  if (word !== undefined) out.push(word);
  return out;
}

/** A number as Go's fmt.Sprint prints a float64 (1.5, 1e-05, 1.2345675e+06); integers as they are. */
export function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21 || (exp >= 6 && !Number.isInteger(n))) {
    const [mantissa, e] = n.toExponential().split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return String(n);
}

/** A YAML scalar as the CLI sends it where the Engine wants a string: null is "" (or null where a key alone means something), numbers and booleans printed. */
export function goString(value: unknown, allowNull = false): string | null {
  if (value === null || value === undefined) return allowNull ? null : '';
  if (typeof value === 'number') return goNumber(value);
  return String(value);
}

/** A `labels:`-like value, a mapping or a list of `key=value` / `key`, as the map of strings the CLI makes. */
export function stringMap(value: unknown, allowNull = false): Record<string, string | null> | undefined {
  if (value === undefined || value === null) return undefined;
  const out: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = String(entry);
      const eq = text.indexOf('=');
      if (eq < 0) out[text] = allowNull ? null : '';
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = goString(v, allowNull);
  return out;
}
