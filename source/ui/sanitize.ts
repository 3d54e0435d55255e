/**
 * Makes text from the swarm inert: escape sequences, C0/C1 controls, DEL and bidi overrides are
 * shown as visible notation (ESC as ^[, BEL as ^G, U+202E as <U+202E>) and never reach the terminal.
 */
export function inert(text: string): string {
  // Fast path: most log lines and names have nothing to replace.
  if (!/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 0x09) out += '  ';
    else if (code < 0x20) out += `^${String.fromCharCode(code + 0x40)}`;
    else if (code === 0x7f) out += '^?';
    else if (code >= 0x80 && code <= 0x9f) out += `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
    else if (code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      out += `<U+${code.toString(16).toUpperCase()}>`;
    } else out += ch;
  }
  return out;
}

/** Cuts text to a width, marking the cut with `~` (ASCII: see screen.tsx on why frames stay ASCII). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '~' : `${text.slice(0, width - 1)}~`;
}

/** Pads or cuts text to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}
