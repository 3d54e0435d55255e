import { EventEmitter } from 'node:events';

/** One terminal cell: a character and the SGR style it is drawn with ('' is the default style). */
interface Cell {
  ch: string;
  style: string;
}

interface Style {
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
  fg?: string;
  bg?: string;
}

const ESC = '\u001b[';

function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  const next: Style = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) for (const key of Object.keys(next)) delete next[key as keyof Style];
    else if (c === 1) next.bold = true;
    else if (c === 2) next.dim = true;
    else if (c === 22) next.bold = next.dim = undefined;
    else if (c === 3) next.italic = true;
    else if (c === 23) next.italic = undefined;
    else if (c === 4) next.underline = true;
    else if (c === 24) next.underline = undefined;
    else if (c === 7) next.inverse = true;
    else if (c === 27) next.inverse = undefined;
    else if (c === 9) next.strike = true;
    else if (c === 29) next.strike = undefined;
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) next.fg = String(c);
    else if (c === 39) next.fg = undefined;
    else if ((c >= 40 && c <= 47) || (c >= 100 && c <= 107)) next.bg = String(c);
    else if (c === 49) next.bg = undefined;
    else if (c === 38 || c === 48) {
      // 38;5;n or 38;2;r;g;b (and 48 for the background)
      const take = codes[i + 1] === 5 ? 2 : 4;
      const value = codes.slice(i, i + 1 + take).join(';');
      if (c === 38) next.fg = value;
      else next.bg = value;
      i += take;
    }
  }
  return next;
}

function sgrOf(style: Style): string {
  const codes: string[] = [];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.italic) codes.push('3');
  if (style.underline) codes.push('4');
  if (style.inverse) codes.push('7');
  if (style.strike) codes.push('9');
  if (style.fg) codes.push(style.fg);
  if (style.bg) codes.push(style.bg);
  return codes.join(';');
}

/** True for characters that take two terminal columns (CJK, fullwidth forms, most emoji). */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Splits one rendered line into cells; `wide` tells that cell positions and columns may differ. */
export function parseLine(line: string): { cells: Cell[]; wide: boolean } {
  const cells: Cell[] = [];
  let style: Style = {};
  let key = '';
  let wide = false;
  const re = /\u001b\[([0-9;]*)m|\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007|([^\u001b]+)/g;
  for (let m; (m = re.exec(line));) {
    if (m[1] !== undefined) {
      style = applySgr(style, m[1]);
      key = sgrOf(style);
    } else if (m[2] !== undefined) {
      for (const ch of m[2]) {
        if (isWide(ch.codePointAt(0)!)) wide = true;
        cells.push({ ch, style: key });
      }
    }
  }
  return { cells, wide };
}

/**
 * Keeps what the terminal shows and, for each new frame, writes only the cells that changed, at
 * absolute positions on the alternate screen: a replica count that moves from 3/5 to 4/5 costs a
 * cursor move and a few bytes, not a redrawn screen. Frames are coalesced to one per `interval` ms.
 */
export class ScreenWriter {
  /** The lines on the terminal, as rendered (kept as strings: most lines of a frame are unchanged). */
  private shown: string[] = [];
  private pending: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastDraw = 0;
  /** Bytes written so far (the benchmark reads it). */
  bytes = 0;

  constructor(
    /** The terminal: its size, when it says one, bounds what is drawn (a frame made for the size before a resize must not wrap or scroll it). */
    private readonly out: { write(data: string): unknown; columns?: number; rows?: number },
    private readonly interval = 16,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Queues a frame; it is drawn at once if the last draw was long enough ago, else at the next slot. */
  frame(text: string): void {
    this.pending = text;
    if (this.timer) return;
    const wait = this.lastDraw + this.interval - this.clock();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Draws the queued frame now, if any. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === undefined) return;
    const text = this.pending;
    this.pending = undefined;
    this.lastDraw = this.clock();
    const data = this.diff(text);
    if (data) {
      this.bytes += Buffer.byteLength(data);
      this.out.write(data);
    }
  }

  /** Forgets what is shown (after a resize or a clear): the next frame is drawn whole. */
  reset(): void {
    this.shown = [];
    const data = `${ESC}0m${ESC}2J`;
    this.bytes += data.length;
    this.out.write(data);
  }

  /** The escape sequences that turn the shown screen into `text`. */
  diff(text: string): string {
    const lines = this.clip(text.replace(/\n$/, '').split('\n'));
    let out = '';
    let current = '';
    const setStyle = (style: string) => {
      if (style === current) return;
      out += `${ESC}0${style ? `;${style}` : ''}m`;
      current = style;
    };
    for (let y = 0; y < Math.max(lines.length, this.shown.length); y++) {
      const shown = this.shown[y];
      if (y >= lines.length) {
        if (shown) {
          setStyle('');
          out += `${ESC}${y + 1};1H${ESC}2K`;
        }
        continue;
      }
      // Lines are styled independently (each starts from the default style), so an unchanged
      // line needs no work at all: only changed lines are split into cells, the old one too.
      if (lines[y] === shown) continue;
      const before = shown ? parseLine(shown).cells : [];
      const { cells, wide } = parseLine(lines[y]);
      if (wide || before.some((c) => isWide(c.ch.codePointAt(0)!))) {
        // Column positions differ from cell positions: redraw the whole line.
        if (sameCells(cells, before)) continue;
        out += `${ESC}${y + 1};1H`;
        for (const cell of cells) {
          setStyle(cell.style);
          out += cell.ch;
        }
        setStyle('');
        out += `${ESC}K`;
        continue;
      }
      let x = 0;
      const width = Math.max(cells.length, before.length);
      while (x < width) {
        if (sameCell(cells[x], before[x])) {
          x++;
          continue;
        }
        // A run of changes; short stretches of equal cells are written through rather than jumped.
        let last = x;
        for (let i = x + 1; i < width && i - last <= 6; i++) if (!sameCell(cells[i], before[i])) last = i;
        const end = last + 1;
        out += `${ESC}${y + 1};${x + 1}H`;
        for (let i = x; i < Math.min(end, cells.length); i++) {
          setStyle(cells[i].style);
          out += cells[i].ch;
        }
        if (end > cells.length) {
          // The new line is shorter than the old one: clear what is left.
          setStyle('');
          out += `${ESC}K`;
          break;
        }
        x = end;
      }
    }
    if (current !== '') out += `${ESC}0m`;
    this.shown = lines;
    return out;
  }

  /**
   * The part of a frame the terminal can show. Ink renders the frame of the old size once more right
   * after a resize: its lines past the last row or column would wrap or scroll the terminal, and
   * every later frame would be drawn rows off what the writer believes is shown.
   */
  private clip(lines: string[]): string[] {
    const { columns, rows } = this.out;
    const kept = rows ? lines.slice(0, rows) : lines;
    if (!columns) return kept;
    return kept.map((line) => (line.replace(/\u001b\[[0-9;]*m/g, '').length <= columns ? line : clipLine(line, columns)));
  }
}

/** A line cut to `columns` terminal columns, its styles kept. */
function clipLine(line: string, columns: number): string {
  let out = '';
  let style = '';
  let used = 0;
  for (const cell of parseLine(line).cells) {
    const width = isWide(cell.ch.codePointAt(0)!) ? 2 : 1;
    if (used + width > columns) break;
    if (cell.style !== style) out += `${ESC}0${cell.style ? `;${cell.style}` : ''}m`;
    style = cell.style;
    out += cell.ch;
    used += width;
  }
  return style ? `${out}${ESC}0m` : out;
}

const sameCell = (a: Cell | undefined, b: Cell | undefined) => a?.ch === b?.ch && a?.style === b?.style;
const sameCells = (a: Cell[], b: Cell[]) => a.length === b.length && a.every((cell, i) => sameCell(cell, b[i]));

/**
 * The stdout Ink renders into: it has the real terminal's size and hands every full frame to the
 * screen writer instead of writing it.
 */
export class FrameStdout extends EventEmitter {
  constructor(
    private readonly terminal: NodeJS.WriteStream,
    private readonly onFrame: (frame: string) => void,
    /** False for frames that never reach a terminal (--once): Ink then leaves the cursor alone, and nothing restores it at exit. */
    readonly isTTY = true,
  ) {
    super();
    terminal.on('resize', () => this.repaint());
  }

  /** Draws the next frame whole, at the terminal's size now (after a resize, and on Ctrl+R): 'repaint' forgets what is shown, 'resize' makes Ink render again. */
  repaint(): void {
    this.emit('repaint');
    this.emit('resize');
  }

  get columns(): number {
    return this.terminal.columns || 80;
  }

  get rows(): number {
    return this.terminal.rows || 24;
  }

  write = (data: string): boolean => {
    // Ink also shows and hides the cursor, and erases lines when the terminal narrows, through its
    // stdout: control sequences alone are not frames (the writer positions every cell itself).
    if (!/^(\u001b\[[0-9;?]*[A-Za-z])+$/.test(data)) this.onFrame(data);
    return true;
  };
}
