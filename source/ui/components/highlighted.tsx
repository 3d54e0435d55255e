import { Text } from 'ink';

/** A pattern that finds `search` as typed, ignoring case (the inspect view's plain search). */
function literal(search: string): RegExp {
  return new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

/**
 * Text with every match highlighted: of `pattern` (the logs filter, a regular expression) or of
 * `search` taken literally, case-insensitive (inspect's search). Empty matches highlight nothing.
 */
export function Highlighted({ text, search, pattern }: { text: string; search?: string; pattern?: RegExp }) {
  const find = pattern ?? (search ? literal(search) : undefined);
  if (!find) return <Text>{text}</Text>;
  const global = new RegExp(find.source, find.flags.includes('g') ? find.flags : `${find.flags}g`);
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(global)) {
    if (m[0].length === 0) continue;
    if (m.index > at) parts.push({ text: text.slice(at, m.index), hit: false });
    parts.push({ text: m[0], hit: true });
    at = m.index + m[0].length;
  }
  parts.push({ text: text.slice(at), hit: false });
  return (
    <Text>
      {parts.map((p, i) =>
        p.hit ? (
          <Text key={i} backgroundColor="yellow" color="black">
            {p.text}
          </Text>
        ) : (
          <Text key={i}>{p.text}</Text>
        ),
      )}
    </Text>
  );
}
