import { visit, type Document, type LineCounter, type YAMLError } from 'yaml';

/**
 * A YAML mistake as one sentence at the place the problem starts. The parser reports where it
 * noticed it: for a quote or a flow list `[` never closed, that is where the file or the block
 * ends, lines later; for a key indented wrongly, the start of its line. The opening quote or
 * bracket, or the key itself, is what the user has to fix.
 */
export function yamlErrorText(path: string, text: string, doc: Document, error: YAMLError, lines: LineCounter): string {
  const noticed = error.pos[0];
  let start = noticed;
  // A scalar (a quoted string) or a flow collection that began earlier and runs up to here was never closed.
  visit(doc, (_key, node) => {
    const range = (node as { range?: [number, number, number] }).range;
    const open = node && typeof node === 'object' && ('flow' in node ? (node as { flow?: boolean }).flow : 'value' in node && !('items' in node));
    if (range && open && range[0] < noticed && noticed <= range[1] && range[0] < start) start = range[0];
  });
  if (start === noticed && error.code !== 'TAB_AS_INDENT') {
    // An indentation mistake is reported at the start of its line: the key after the spaces is the place.
    while (text[start] === ' ') start += 1;
  }
  const at = lines.linePos(start);
  const seen = lines.linePos(noticed);
  // The message alone: prettyErrors would add the position again and a picture of the line.
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const later = seen.line !== at.line ? ` (noticed at line ${seen.line}, column ${seen.col})` : '';
  return `${path}:${at.line}:${at.col}: ${message}${later}`;
}
