/** Flags of the console. */
export type AppFlags = Record<string, unknown>;

/** Placeholder until the dashboard lands: points at the simulator. */
export async function runApp(_flags: AppFlags): Promise<number> {
  process.stderr.write('swarmdeck: the dashboard is not built yet; run `swarmdeck sim` and point the docker CLI at it\n');
  return 2;
}
