/** "5 minutes ago", as the docker CLI writes ages (go-units HumanDuration). */
export function ago(from: string | number | undefined, now: number): string {
  if (from === undefined) return '';
  const t = typeof from === 'number' ? from : Date.parse(from);
  if (Number.isNaN(t)) return '';
  return `${humanDuration(Math.max(0, now - t)).toLowerCase()} ago`;
}

/** go-units' HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.round(ms / 60_000);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(ms / 3_600_000);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}

/** Bytes as GiB/MiB with one decimal. */
export function bytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(0)} MiB`;
  return `${n} B`;
}

/** NanoCPUs as cores. */
export function cpus(nano: number | undefined): string {
  if (nano === undefined) return '';
  const cores = nano / 1e9;
  return Number.isInteger(cores) ? String(cores) : cores.toFixed(1);
}

/** Capitalised, as the CLI shows states ("running" -> "Running"). */
/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st... */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export const title = (s: string | undefined) => (s ? s[0].toUpperCase() + s.slice(1) : '');

/**
 * Text cut to `width` columns (a ~ marks the cut), never inside a figure: a word with a digit in it
 * (3/5, 22/22, 12.5%, "(5") is shown whole or left out, so that no count reads as another.
 */
export function truncateFigures(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  let end = width - 1;
  const start = text.lastIndexOf(' ', end - 1) + 1;
  const next = text.indexOf(' ', start);
  const stop = next < 0 ? text.length : next;
  if (stop > end && /\d/.test(text.slice(start, stop))) end = start;
  return `${text.slice(0, end).trimEnd()}~`;
}

/** A name cut in its middle (`payments_g~primary_api`) to `width` columns: its start and end tell names apart. */
export function shortenMiddle(name: string, width: number): string {
  if (name.length <= width) return name;
  if (width < 3) return name.slice(0, Math.max(0, width));
  const head = Math.ceil((width - 1) / 2);
  return `${name.slice(0, head)}~${name.slice(name.length - (width - 1 - head))}`;
}

/** Splits text into lines of at most `width` columns at spaces (a word longer than that is cut). */
export function wrapWords(text: string, width: number): string[] {
  // A leading indent is kept, on every line the text wraps to.
  const indent = /^ */.exec(text)![0];
  if (indent) return wrapWords(text.slice(indent.length), Math.max(1, width - indent.length)).map((l) => indent + l);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Natural order ("core-2" before "core-10"), case-insensitive: what `Intl.Collator` with `numeric`
 * gives for the names the console sorts, without it. Creating an ICU collator costs milliseconds
 * at start-up, and String#localeCompare with options builds one per call.
 */
export function naturalCompare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    const dx = cx >= 48 && cx <= 57;
    const dy = cy >= 48 && cy <= 57;
    if (dx && dy) {
      // Compare whole numbers: skip leading zeros, then the longer number is larger.
      let ei = i;
      let ej = j;
      while (ei < x.length && x.charCodeAt(ei) >= 48 && x.charCodeAt(ei) <= 57) ei++;
      while (ej < y.length && y.charCodeAt(ej) >= 48 && y.charCodeAt(ej) <= 57) ej++;
      const nx = x.slice(i, ei).replace(/^0+(?=\d)/, '');
      const ny = y.slice(j, ej).replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (cx !== cy) return cx - cy;
    i++;
    j++;
  }
  return x.length - i - (y.length - j) || (a < b ? -1 : a > b ? 1 : 0);
}
