import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startConsole, type TestConsole } from '../helpers/console.js';

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

/** The edit file the console said it keeps (the status history keeps the message). */
const editFile = () => {
  const said = c.store
    .getSnapshot()
    .messages.map((m) => /kept in (\S+\.yaml)/.exec(m.text)?.[1])
    .filter(Boolean);
  return said.at(-1)!;
};

/** The lines of the dialog between two of its lines, without its border. */
const between = (frame: string, from: string, to: string) => {
  const lines = frame.split('\n').map((l) => l.replace(/[│╭╮╰╯─]/g, '').trim());
  return lines.slice(lines.indexOf(from) + 1, lines.indexOf(to));
};

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
    const file = editFile();
    expect(readFileSync(file, 'utf8')).toContain('nginx:1.28-alpine');
    await c.press('y');
    await c.waitFor('edit web: TaskTemplate.ContainerSpec.Image: done');
    expect(image('web')).toBe('nginx:1.28-alpine');
    // The file held the spec: it goes when the edit ends.
    expect(existsSync(file)).toBe(false);
  });

  test('a secret-looking value in the changes is masked in the confirmation', async () => {
    process.env.FAKE_EDIT_FROM = 'LOG_LEVEL=info';
    process.env.FAKE_EDIT_TO = 'DB_PASSWORD=hunter2';
    await editWeb();
    const dialog = await c.waitFor('Apply these changes to web?');
    expect(dialog).toContain('- TaskTemplate.ContainerSpec.Env[LOG_LEVEL]: LOG_LEVEL=info');
    expect(dialog).toContain('+ TaskTemplate.ContainerSpec.Env[DB_PASSWORD]: DB_PASSWORD=******');
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
    // Nothing was sent, and y sends nothing either: the keys say what they do.
    expect(dialog).toContain('y or Enter: open the editor again    n or Esc: drop the edit');
    expect(dialog).not.toContain('go ahead');
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

  test('a scale made while the edit was open survives: the edit is merged with it and asked again, listing what will be written', async () => {
    process.env.FAKE_EDIT_FROM = 'Image: nginx:1.27-alpine';
    process.env.FAKE_EDIT_TO = 'Image: nginx:1.28-alpine';
    await editScaledMeanwhile();
    const merged = await c.waitFor('web changed while you edited it; your changes were merged with it');
    expect(between(merged, 'Will be written:', 'Changed meanwhile (kept):')).toEqual([
      'TaskTemplate.ContainerSpec.Image: nginx:1.27-alpine -> nginx:1.28-alpine',
    ]);
    expect(merged).toContain('Mode.Replicated.Replicas: 3 -> 5');
    await c.press('y');
    await c.waitFor(/edit web: .*: done/);
    expect(image('web')).toBe('nginx:1.28-alpine');
    expect(service('web').spec.Mode).toEqual({ Replicated: { Replicas: 5 } });
  });

  test('env entries merge by name: deleting two while someone scales and appends one writes exactly the rest', async () => {
    c = await startConsole({ width: 200 });
    await c.waitFor('flaskontesting');
    const before = service('web');
    const env = structuredClone(before.spec);
    env.TaskTemplate!.ContainerSpec!.Env = ['A=1', 'B=2', 'C=3', 'DB_PASSWORD=hunter2'];
    c.swarm.sim.swarm.updateService(before.id, before.version, env, false);
    process.env.FAKE_EDIT_FROM = String.raw`^\s*- (B|C)=\d\n`;
    process.env.FAKE_EDIT_REGEX = '1';
    process.env.FAKE_EDIT_TO = '';
    await c.selectRow('web');
    await c.press('e');
    const asked = await c.waitFor('Apply these changes to web?');
    expect(asked).toContain('- TaskTemplate.ContainerSpec.Env[B]: B=2');
    const web = service('web');
    const scaled = structuredClone(web.spec);
    scaled.Mode = { Replicated: { Replicas: 5 } };
    scaled.TaskTemplate!.ContainerSpec!.Env!.push('NEW=1');
    c.swarm.sim.swarm.updateService(web.id, web.version, scaled, false);
    await c.press('y');
    const merged = await c.waitFor('your changes were merged with it');
    expect(between(merged, 'Will be written:', 'Changed meanwhile (kept):')).toEqual([
      '- TaskTemplate.ContainerSpec.Env[B]: B=2',
      '- TaskTemplate.ContainerSpec.Env[C]: C=3',
    ]);
    expect(merged).toContain('+ TaskTemplate.ContainerSpec.Env[NEW]: NEW=1');
    expect(merged).not.toContain('hunter2');
    await c.press('y');
    await c.waitFor(/edit web: .*: done/);
    expect(service('web').spec.TaskTemplate?.ContainerSpec?.Env).toEqual(['A=1', 'DB_PASSWORD=hunter2', 'NEW=1']);
    expect(service('web').spec.Mode).toEqual({ Replicated: { Replicas: 5 } });
  });

  test('an edit of a field someone else changed meanwhile is refused with both sides; nothing is sent and n removes the file', async () => {
    process.env.FAKE_EDIT_FROM = 'Replicas: 3';
    process.env.FAKE_EDIT_TO = 'Replicas: 4';
    await editScaledMeanwhile();
    const refused = await c.waitFor('web changed while you edited it, in the same places: nothing was sent');
    expect(refused).toContain('Mode.Replicated.Replicas: yours 4, theirs 5 (was 3)');
    expect(refused).toContain('y or Enter: edit again    n or Esc: drop your edit');
    expect(refused).not.toContain('go ahead');
    const file = editFile();
    const index = c.swarm.sim.swarm.index;
    await c.press('n');
    await c.waitFor('cancelled: nothing was sent');
    expect(c.swarm.sim.swarm.index).toBe(index);
    expect(service('web').spec.Mode).toEqual({ Replicated: { Replicas: 5 } });
    expect(existsSync(file)).toBe(false);
  });

  test('after a conflict, y edits again from the spec as it is now, with the conflict noted and the other changes kept', async () => {
    process.env.FAKE_EDIT_FROM = 'Replicas: 3';
    process.env.FAKE_EDIT_TO = 'Replicas: 4';
    await editWeb();
    await c.waitFor('Apply these changes to web?');
    const web = service('web');
    const scaled = structuredClone(web.spec);
    scaled.Mode = { Replicated: { Replicas: 5 } };
    c.swarm.sim.swarm.updateService(web.id, web.version, scaled, false);
    // The second time round the editor leaves the text as it is: theirs for the conflict.
    process.env.FAKE_EDIT_FROM = 'no such text';
    await c.press('y');
    await c.waitFor('in the same places: nothing was sent');
    await c.press('y');
    const again = readFileSync(join(dir, 'seen.txt'), 'utf8').split('--- end ---')[1];
    expect(again).toContain('# both changed Mode.Replicated.Replicas: yours 4, theirs 5 (was 3)');
    expect(again).toMatch(/Replicas: 5/);
    await c.waitFor('no changes to web: nothing was sent');
    expect(service('web').spec.Mode).toEqual({ Replicated: { Replicas: 5 } });
  });

  for (const [how, env, said] of [
    ['removes its file', { FAKE_EDIT_DELETE: '1' }, 'the editor removed or renamed the file: nothing was sent'],
    ['renames its file', { FAKE_EDIT_RENAME: '1' }, 'the editor removed or renamed the file: nothing was sent'],
    ['exits non-zero', { FAKE_EDIT_EXIT: '3' }, 'the editor exited with status 3: nothing was sent'],
    ['is killed', { FAKE_EDIT_KILL: 'SIGKILL' }, 'the editor was killed by SIGKILL: nothing was sent'],
  ] as const) {
    test(`an editor that ${how} is a message; the console stays up and the edit's files are gone`, async () => {
      Object.assign(process.env, env, { FAKE_EDIT_FROM: 'Image: nginx:1.27-alpine', FAKE_EDIT_TO: 'Image: nginx:1.28-alpine' });
      const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith(`swarmdeck-edit-${process.pid}-`)));
      await editWeb();
      await c.waitFor(`edit web: ${said}`);
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith(`swarmdeck-edit-${process.pid}-`) && !before.has(n))).toEqual([]);
      expect(image('web')).toBe('nginx:1.27-alpine');
      // Still up: keys are answered.
      await c.press('2');
      await c.waitFor('Services');
    });
  }

  test('a 20 MB env value is cut to the screen in the dialog, with its size, and the dialog answers keys', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, `BIG=${'x'.repeat(20 * 1024 * 1024)}`);
    process.env.FAKE_EDIT_FROM = 'LOG_LEVEL=info';
    process.env.FAKE_EDIT_TO_FILE = big;
    await editWeb();
    const dialog = await c.waitFor('Apply these changes to web?', 30_000);
    expect(dialog).toContain('+ TaskTemplate.ContainerSpec.Env[BIG]:');
    expect(dialog).toMatch(/BIG=x+\.\.\. \(21\.0M chars\)/);
    await c.press('n');
    await c.waitFor('cancelled: nothing was sent');
    expect(image('web')).toBe('nginx:1.27-alpine');
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
