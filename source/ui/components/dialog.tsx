import { Box, Text } from 'ink';
import { wrapWords } from '../present/format.js';
import { inert, truncate } from '../sanitize.js';
import { plainOutput, theme } from '../theme.js';
import type { Confirm } from '../ui-state.js';

/** A confirmation dialog, centred: title, what will happen (wrapped, never cut mid-sentence), and the keys. */
export function ConfirmBox({ confirm, width, height }: { confirm: Confirm; width: number; height: number }) {
  const inner = Math.max(10, Math.min(width - 4, 90));
  // Long lines wrap: a warning cut off mid-sentence is worse than none.
  const lines = confirm.lines.flatMap((line) => wrapWords(inert(line), inner - 2)).slice(0, Math.max(0, height - 5));
  return (
    <Box flexDirection="column" height={height} width={width} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} width={inner + 2} paddingX={1}>
        <Text bold color={theme.warn} wrap="truncate">
          {truncate(`${plainOutput() ? '! ' : ''}${inert(confirm.title)}`, inner - 2)}
        </Text>
        {lines.map((line, i) => (
          <Text key={i} wrap="truncate">
            {line}
          </Text>
        ))}
        <Text color={theme.dim} wrap="truncate">
          {truncate(
            confirm.typeToConfirm
              ? `y: go on, then type ${inert(confirm.typeToConfirm)}    n or Esc: cancel`
              : `y or Enter: ${confirm.keys?.yes ?? 'go ahead'}    n or Esc: ${confirm.keys?.no ?? 'cancel'}`,
            inner - 2,
          )}
        </Text>
      </Box>
    </Box>
  );
}
