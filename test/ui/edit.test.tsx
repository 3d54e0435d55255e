import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// `e` with a stand-in editor (test/helpers/fake-editor.mjs), against the simulator.
let c: TestConsole;
let dir: string;
const saved = { ...process.env };
const editor = join(import.meta.dirname, '../helpers/fake-editor.mjs');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdeck-edit-test-'));
  delete process.env.VISUAL;
  process.env.EDITOR = `${process.execPath} ${editor}`;
  process.env.FAKE_EDIT_SEEN = join(dir, 'seen.txt');
});
afterEach(async () => {
  await c?.close();
  for (const key of Object.keys(process.env)) if (key.startsWith('FAKE_EDIT_')) delete process.env[key];
  process.env.EDITOR = saved.EDITOR;
  if (saved.VISUAL !== undefined) process.env.VISUAL = saved.VISUAL;
  rmSync(dir, { recursive: true, force: true });
});

const service = (name: string) => [...c.swarm.sim.swarm.services.values()].find((s) => s.spec.Name === name)!;
const image = (name: string) => service(name).spec.TaskTemplate?.ContainerSpec?.Image;

/** Edits web, and while the diff is on screen someone scales it to 5; then y. */
async function editScaledMeanwhile() {
  await editWeb();
  await c.waitFor('Apply these changes to web?');
  const web = service('web');
  const scaled = structuredClone(web.spec);
  scaled.Mode = { Replicated: { Replicas: 5 } };
  c.swarm.sim.swarm.updateService(web.id, web.version, scaled, false);
  await c.press('y');
}

async function editWeb() {
  c = await startConsole({ width: 200 });
  await c.waitFor('flaskontesting');
  await c.selectRow('web');
  await c.press('e');
}

describe('e edits the spec in $EDITOR', () => {
  test('the editor gets the Spec as YAML; a changed image is shown as a diff, and y applies it', async () => {
    process.env.FAKE_EDIT_FROM = 'Image: nginx:1.27-alpine';
    process.env.FAKE_EDIT_TO = 'Image: nginx:1.28-alpine';
    await editWeb();
    const dialog = await c.waitFor('Apply these changes to web?');
    expect(dialog).toContain('TaskTemplate.ContainerSpec.Image: nginx:1.27-alpine -> nginx:1.28-alpine');
    expect(readFileSync(join(dir, 'seen.txt'), 'utf8')).toMatch(/^Name: web$/m);
    await c.press('y');
    await c.waitFor('edit web: TaskTemplate.ContainerSpec.Image: done');
    expect(image('web')).toBe('nginx:1.28-alpine');
  });

  test('a secret-looking value in the changes is masked in the confirmation', async () => {
    process.env.FAKE_EDIT_FROM = 'LOG_LEVEL=info';
    process.env.FAKE_EDIT_TO = 'DB_PASSWORD=hunter2';
    await editWeb();
    const dialog = await c.waitFor('Apply these changes to web?');
    expect(dialog).toContain('TaskTemplate.ContainerSpec.Env.0: LOG_LEVEL=info -> DB_PASSWORD=******');
    expect(dialog).not.toContain('hunter2');
    await c.press('n');
  });

  test('an editor that exits without changes applies nothing', async () => {
    await editWeb();
    const before = c.swarm.sim.swarm.index;
    await c.waitFor('no changes to web: nothing was sent');
    expect(c.swarm.sim.swarm.index).toBe(before);
  });

  test('invalid YAML says where; y re-opens the editor on the same text; n drops it, and nothing is applied', async () => {
    process.env.FAKE_EDIT_WRITE = 'Name: web\nTaskTemplate: [unclosed\n';
    await editWeb();
    const dialog = await c.waitFor('The edit of web is not a valid spec');
    expect(dialog).toMatch(/line \d+, column \d+/);
    const kept = /kept in (\S+\.yaml)/.exec(dialog)![1];
    await c.press('y');
    await c.waitFor('The edit of web is not a valid spec');
    // The second time round the editor was given the user's text, not a fresh spec.
    expect(readFileSync(join(dir, 'seen.txt'), 'utf8').split('--- end ---')[1]).toContain('TaskTemplate: [unclosed');
    await c.press('n');
    await c.waitFor('cancelled: nothing was sent');
    expect(existsSync(kept)).toBe(false);
    expect(image('web')).toBe('nginx:1.27-alpine');
  });

  test('a scale made while the edit was open survives: the edit is rebased on it and asked again', async () => {
    process.env.FAKE_EDIT_FROM = 'Image: nginx:1.27-alpine';
    process.env.FAKE_EDIT_TO = 'Image: nginx:1.28-alpine';
    await editScaledMeanwhile();
    const rebased = await c.waitFor('web changed while you edited it; your changes were rebased on it');
    expect(rebased).toContain('Mode.Replicated.Replicas: 3 -> 5');
    await c.press('y');
    await c.waitFor(/edit web: .*: done/);
    expect(image('web')).toBe('nginx:1.28-alpine');
    expect(service('web').spec.Mode).toEqual({ Replicated: { Replicas: 5 } });
  });

  test('an edit of a field someone else changed meanwhile is refused with both sides, the file kept', async () => {
    process.env.FAKE_EDIT_FROM = 'Replicas: 3';
    process.env.FAKE_EDIT_TO = 'Replicas: 4';
    await editScaledMeanwhile();
    const refused = await c.waitFor('web changed while you edited it, in the fields you changed');
    expect(refused).toContain('Both changed: Mode.Replicated.Replicas');
    expect(service('web').spec.Mode).toEqual({ Replicated: { Replicas: 5 } });
    await c.press(KEY.escape);
  });

  test('e on a node edits its labels the same way', async () => {
    process.env.FAKE_EDIT_FROM = 'zone: b';
    process.env.FAKE_EDIT_TO = 'zone: c';
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    await c.press('1');
    await c.waitFor('Nodes (5)');
    await c.selectRow('core-03');
    await c.press('e');
    await c.waitFor('Labels.zone: b -> c');
    await c.press('y');
    await c.waitFor(/edit core-03: .*: done/);
    expect([...c.swarm.sim.swarm.nodes.values()].find((n) => n.hostname === 'core-03')!.spec.Labels).toEqual({ zone: 'c' });
  });
});
