import { Text } from 'ink';
import { bindingsFor, keyLabel } from '../../keymap/lookup.js';
import { truncate } from '../sanitize.js';
import { theme } from '../theme.js';
import { hiddenHint, type ViewSpec } from '../views/types.js';

/** The keys of the view, from the keymap, "? help" first; in read-only mode, only those that act. */
export function Footer({ spec, width, sim, readOnly = false }: { spec: ViewSpec; width: number; sim: boolean; readOnly?: boolean }) {
  const hints = bindingsFor(spec.kind, sim)
    .filter((b) => b.hint && !hiddenHint(spec, b.id) && !(readOnly && b.mutates))
    // "? help" first: on a narrow terminal the rest may be cut, and help lists them all.
    .sort((a, b) => Number(b.id === 'help') - Number(a.id === 'help'))
    .map((b) => `${keyLabel(b).split(' ')[0]} ${b.hint}`);
  return (
    <Text color={theme.dim} wrap="truncate">
      {truncate(hints.join('  '), width)}
    </Text>
  );
}
