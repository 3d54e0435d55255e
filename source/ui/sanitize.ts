/**
 * Characters that draw nothing or reorder what follows: zero-width spaces and joiners, the soft
 * hyphen, word joiners and invisible operators, the byte-order mark, and the bidirectional marks,
 * embeddings, overrides and isolates. A name holding one looks like another name.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const NEEDS_WORK = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * Makes text from the swarm (or a file) inert and honest: escape sequences, C0 controls and DEL are
 * shown in caret notation (ESC as ^[, BEL as ^G, DEL as ^?), C1 controls and the invisible
 * characters above as the docker CLI's %q writes them (\u0085, \u200b, \u202e). Nothing of it
 * reaches the terminal as a control, and nothing invisible passes as part of a name. Deploy output,
 * --once frames, the action log and every view use this one function.
 */
export function sanitizeText(text: string): string {
  // Fast path: most log lines and names have nothing to replace.
  if (!NEEDS_WORK.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 0x09) out += '  ';
    else if (code < 0x20) out += `^${String.fromCharCode(code + 0x40)}`;
    else if (code === 0x7f) out += '^?';
    else if ((code >= 0x80 && code <= 0x9f) || INVISIBLE.test(ch)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** The same as sanitizeText (the name the views use). */
export const inert = sanitizeText;

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
