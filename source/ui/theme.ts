/** The console's colours, in one place. */
export const theme = {
  accent: 'cyan',
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  dim: 'gray',
  header: 'blueBright',
  selection: { inverse: true },
  /** Colours that tell tasks apart in the logs pane. */
  task: ['cyan', 'magenta', 'green', 'yellow', 'blue', 'redBright', 'cyanBright', 'magentaBright'],
} as const;

/** A colour per id, the same on every frame: tells tasks (logs) and services (map) apart. */
export function colorFor(id: string | undefined): string | undefined {
  if (!id) return undefined;
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return theme.task[h % theme.task.length];
}

/**
 * True when the terminal gets no colours (NO_COLOR, TERM=dumb; FORCE_COLOR overrides both): then
 * inverse and colour are gone too, so the selection and warnings are marked with characters.
 */
export function plainOutput(env: NodeJS.ProcessEnv = process.env): boolean {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return !forced && (Boolean(env.NO_COLOR) || env.TERM === 'dumb');
}
