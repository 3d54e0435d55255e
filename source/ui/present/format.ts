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
export const title = (s: string | undefined) => (s ? s[0].toUpperCase() + s.slice(1) : '');

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
