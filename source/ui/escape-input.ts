/**
 * Terminal reports and control strings that reach the console as input (a mouse report, a DCS or
 * OSC reply, bracketed-paste markers). Ink hands them over with their leading ESC dropped, so
 * `\x1b[<0;10;10M` would be typed into a filter and the `q` of `\x1bPq\x1b\\` would quit. They are
 * taken out whole here; a bracketed paste keeps its text.
 */

const CSI = /^\[[0-?]*[ -/]*[@-~]/;
/** A report a terminal sends unasked (mouse, cursor position, device attributes, focus): how a chunk whose ESC was dropped is told from typed text. */
const REPORT = /^\[[<?>=]?[\d;]*[~MmRcntyIO]/;
const STRING_START = /^[P\]_^X]/;

/** The input with every escape sequence in it removed (`rest` of a chunk that Ink stripped the first ESC from). */
export function withoutEscapeSequences(input: string): string {
  const parts = input.split('\u001b');
  let out = '';
  let inString = false;
  parts.forEach((part, i) => {
    // Every part but the first came after an ESC; the first did when it has the shape of a sequence.
    let rest = part;
    if (inString) {
      // ESC \ ends a control string: the part after it starts with the backslash.
      if (rest.startsWith('\\')) {
        inString = false;
        rest = rest.slice(1);
      } else return;
    }
    const afterEsc = i > 0 || REPORT.test(rest) || rest.startsWith('[200~') || (rest.length > 1 && STRING_START.test(rest) && /\u0007|\u001b/.test(input));
    if (afterEsc && rest.length > 0) {
      if (rest.startsWith('[200~')) rest = rest.slice(5);
      else if (rest.startsWith('[201~')) rest = rest.slice(5);
      else if (CSI.test(rest)) rest = rest.replace(CSI, '');
      else if (STRING_START.test(rest)) {
        const bel = rest.indexOf('\u0007');
        if (bel >= 0) rest = rest.slice(bel + 1);
        else {
          inString = true;
          return;
        }
      } else if (/^O[@-~]/.test(rest)) rest = rest.slice(2);
      else if (i > 0) rest = rest.slice(1);
    }
    out += rest;
  });
  return out;
}
