import { Text } from 'ink';

/** Text with every case-insensitive occurrence of `search` highlighted (logs and inspect search). */
export function Highlighted({ text, search }: { text: string; search: string }) {
  if (!search) return <Text>{text}</Text>;
  const parts: { text: string; hit: boolean }[] = [];
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    if (i > at) parts.push({ text: text.slice(at, i), hit: false });
    parts.push({ text: text.slice(i, i + needle.length), hit: true });
    at = i + needle.length;
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
