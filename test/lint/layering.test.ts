import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

// The layering rules of eslint.config.js, checked on code that breaks them: a rule that silently
// stopped matching (a renamed folder, a changed pattern) would let the layering rot unnoticed.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function refusals(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the linter guards the layering', () => {
  test('a view that imports dockerode is refused', async () => {
    expect(await refusals('source/ui/views/nodes.ts', "import Docker from 'dockerode';\nexport const d = Docker;\n")).toEqual([
      expect.stringContaining('only source/docker/ talks to dockerode'),
    ]);
  });

  test('the UI may not reach into the simulator', async () => {
    expect(await refusals('source/ui/app.tsx', "import { startSimulator } from '../simulator/server.js';\nexport const s = startSimulator;\n")).toHaveLength(1);
  });

  test('the store may not import the UI', async () => {
    expect(await refusals('source/store/sync/pollers.ts', "import { Screen } from '../../ui/screen.js';\nexport const s = Screen;\n")).toEqual([
      expect.stringContaining('never the reverse'),
    ]);
  });

  test('the simulator may import only itself and the neutral rules', async () => {
    const file = 'source/simulator/model/scheduler.ts';
    expect(await refusals(file, "import { SwarmClient } from '../../docker/client.js';\nexport const c = SwarmClient;\n")).toHaveLength(1);
    expect(await refusals(file, "import { matchesConstraints } from '../../swarm/constraints.js';\nexport const m = matchesConstraints;\n")).toEqual([]);
  });

  test('the neutral rules depend on neither side', async () => {
    expect(await refusals('source/swarm/quorum.ts', "import { errors } from '../simulator/errors.js';\nexport const e = errors;\n")).toHaveLength(1);
  });

  test('docker/ may import dockerode', async () => {
    expect(await refusals('source/docker/client.ts', "import Docker from 'dockerode';\nexport const d = Docker;\n")).toEqual([]);
  });

  test('the source as committed breaks no rule', async () => {
    const results = await eslint.lintFiles(['source']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.message}`))).toEqual([]);
  });
});
