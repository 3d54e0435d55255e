/** The practice drills a simulated swarm stages (POST /swarmdeck/drills/{name}): named once for the simulator and the console. */
export const DRILLS = [
  'node-down',
  'node-up',
  'break-image',
  'fix-image',
  'crash-loop',
  'fix-crash',
  'lose-quorum',
  'regain-quorum',
  'restart-engine',
  'memory-leak',
  'fix-leak',
  'cpu-hog',
  'fix-hog',
] as const;

/** One practice drill. */
export type Drill = (typeof DRILLS)[number];
