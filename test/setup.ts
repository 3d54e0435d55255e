import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

// The action log goes to $XDG_STATE_HOME: each test writes to a directory of its own, never the user's.
let state = '';
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'swarmdeck-state-'));
  process.env.XDG_STATE_HOME = state;
});
afterEach(() => rmSync(state, { recursive: true, force: true }));
