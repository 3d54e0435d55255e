import type { LogEntry } from '../docker/demux.js';

/**
 * How far back a logs view reads: `since` as typed (a duration such as 10m or 1h30m, or an RFC 3339
 * time), and `tail`, the last lines per task (as `docker service logs --tail`). The manager is asked
 * for exactly that (its `since` and `tail` parameters); nothing is read to be cut here.
 */
export interface LogRange {
  since?: string;
  tail?: number;
}

/** How many lines per task a logs view reads when nothing else is asked. */
export const DEFAULT_TAIL = 200;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const RFC3339 = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?)?$/i;

/** A Go-style duration (10m, 2h, 1h30m, 90s) in ms, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * UNITS[unit];
  return total;
}

/** Why a `since` value is not one, or undefined when it is. */
export function sinceProblem(text: string): string | undefined {
  if (parseDuration(text) !== undefined) return undefined;
  if (RFC3339.test(text) && Number.isFinite(Date.parse(text))) return undefined;
  return `"${text}" is not a time: use a duration (10m, 2h, 1h30m) or an RFC 3339 time (2026-11-22T15:04:05Z)`;
}

/** The moment `since` names, in seconds since the epoch, as the Engine API takes it (relative ones from `now`, ms). */
export function sinceSeconds(since: string, now: number): number {
  const ago = parseDuration(since);
  const ms = ago !== undefined ? now - ago : Date.parse(since);
  return ms / 1000;
}

/**
 * Words typed after `:logs NAME` or at the logs view's range prompt: `--since 10m`, `--tail 500`,
 * or bare (`10m`, `500`, `2026-11-22T15:00:00Z`, `all`): a count is a tail, anything else a since.
 * Returns the range, or why the words are not one.
 */
export function parseLogRange(words: string[]): LogRange | string {
  const range: LogRange = {};
  for (let i = 0; i < words.length; i++) {
    let word = words[i];
    let kind: 'since' | 'tail' | undefined;
    const flag = /^--(since|tail)(?:=(.*))?$/.exec(word);
    if (flag) {
      kind = flag[1] as 'since' | 'tail';
      word = flag[2] ?? words[++i];
      if (word === undefined) return `--${kind} needs a value`;
    }
    if (word.startsWith('-')) return `unknown option ${word}: the logs take --since TIME and --tail N`;
    const count = /^\d+$/.test(word);
    if (kind === 'tail' || (!kind && (count || word === 'all'))) {
      // -1 stands for all: the whole history, asked for by name.
      if (word === 'all') range.tail = -1;
      else if (!count) return `--tail takes a line count, not "${word}"`;
      else range.tail = Number(word);
      continue;
    }
    const problem = sinceProblem(word);
    if (problem) return problem;
    range.since = word;
  }
  return range;
}

/** The range as the title and messages say it: "since 10m, last 500". */
export function describeRange(range: LogRange | undefined): string {
  const parts: string[] = [];
  if (range?.since) parts.push(`since ${range.since}`);
  if (range?.tail === -1) parts.push('all lines');
  else if (range?.tail !== undefined) parts.push(`last ${range.tail}`);
  return parts.join(', ');
}

/** The Engine API's `tail` for a range: a count, `all` when asked, else all after a since, else the default. */
export function tailOf(range: LogRange | undefined): number | 'all' {
  if (range?.tail === -1) return 'all';
  if (range?.tail !== undefined) return range.tail;
  return range?.since ? 'all' : DEFAULT_TAIL;
}

/**
 * Lines from several streams (a stack's services, one service's tasks) put in time order: new lines
 * usually come after every line held (then they are appended), otherwise they are merged into the
 * tail they belong in. Lines without a time stay where they arrived.
 */
export function mergeByTime(held: LogEntry[], fresh: LogEntry[]): LogEntry[] {
  if (fresh.length === 0) return held;
  const sorted = fresh.every((l, i) => i === 0 || (l.time ?? Infinity) >= (fresh[i - 1].time ?? -Infinity))
    ? fresh
    : fresh
        .map((l, i) => [l, i] as const)
        .sort((a, b) => (a[0].time ?? Infinity) - (b[0].time ?? Infinity) || a[1] - b[1])
        .map(([l]) => l);
  const first = sorted[0].time;
  const last = held.at(-1)?.time;
  if (first === undefined || last === undefined || first >= last) return held.concat(sorted);
  // Back to the first held line that is not newer than the first new one; merge from there.
  let at = held.length;
  while (at > 0 && (held[at - 1].time ?? -Infinity) > first) at--;
  const tail = held.slice(at);
  const merged: LogEntry[] = held.slice(0, at);
  let i = 0;
  let j = 0;
  while (i < tail.length || j < sorted.length) {
    if (j >= sorted.length || (i < tail.length && (tail[i].time ?? Infinity) <= (sorted[j].time ?? Infinity))) merged.push(tail[i++]);
    else merged.push(sorted[j++]);
  }
  return merged;
}
