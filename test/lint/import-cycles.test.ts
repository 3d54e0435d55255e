import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

// The module graph of source/, read from the files themselves (type-only imports included: a ring
// of types is still a ring of modules that cannot be understood one at a time).
const root = resolve(new URL('../../source', import.meta.url).pathname);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function graph(): Map<string, string[]> {
  const all = new Set(files(root));
  const edges = new Map<string, string[]>();
  for (const file of all) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)) {
      const base = resolve(dirname(file), m[1].replace(/\.js$/, ''));
      const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((t) => all.has(t));
      if (target) targets.push(target);
    }
    edges.set(file, targets);
  }
  return edges;
}

/** The strongly connected components with more than one module (Tarjan's algorithm). */
function rings(edges: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(root, w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!order.has(v)) visit(v);
  return found;
}

describe('the module graph', () => {
  test('the cycle finder sees a ring when there is one', () => {
    const ring = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/c.ts']],
      ['/c.ts', ['/a.ts']],
      ['/d.ts', ['/a.ts']],
    ]);
    expect(rings(ring)).toHaveLength(1);
    expect(rings(ring)[0]).toHaveLength(3);
  });

  test("the simulator's model modules form no import ring: they take the state, the facade composes them", () => {
    expect(rings(graph()).filter((ring) => ring.some((f) => f.startsWith('simulator/')))).toEqual([]);
  });
});
