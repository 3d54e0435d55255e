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
