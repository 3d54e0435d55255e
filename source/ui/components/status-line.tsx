import { Text } from 'ink';
import type { StatusMessage } from '../../store/state.js';
import { humanDuration, truncateFigures } from '../present/format.js';
import { inert, truncate } from '../sanitize.js';
import { theme } from '../theme.js';
import type { Prompt } from '../ui-state.js';

/** The prompt being typed, or the last result of an action or error, word for word. */
export function StatusLine({ status, prompt, width, now }: { status?: StatusMessage; prompt?: Prompt; width: number; now: number }) {
  if (prompt) {
    const text = `${prompt.label}${prompt.text}_`;
    return (
      <Text wrap="truncate">
        <Text color={theme.accent}>{truncate(inert(text), width)}</Text>
        {prompt.error ? <Text color={theme.bad}>{truncate(`  ${prompt.error}`, Math.max(0, width - text.length))}</Text> : null}
      </Text>
    );
  }
  if (!status) return <Text> </Text>;
  const color = status.kind === 'error' ? theme.bad : status.kind === 'success' ? theme.ok : theme.accent;
  const age = now - status.at > 60_000 ? ` (${humanDuration(now - status.at).toLowerCase()} ago)` : '';
  return (
    <Text color={color} wrap="truncate">
      {truncate(inert(status.text) + age, width)}
    </Text>
  );
}

/** The title bar: the view on the left, its filter or toggles on the right. */
export function TitleBar({ title, width, right }: { title: string; width: number; right: string }) {
  const space = Math.max(1, width - title.length - right.length);
  return (
    <Text wrap="truncate">
      <Text bold inverse color={theme.accent}>
        {truncateFigures(title, width)}
      </Text>
      <Text color={theme.dim}>{truncateFigures(`${' '.repeat(space)}${right}`, Math.max(0, width - title.length))}</Text>
    </Text>
  );
}
