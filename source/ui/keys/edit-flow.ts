import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../store/run-action.js';
import { changeLine, changes, parseEdited, rebase, specToYaml, type Change } from '../../store/spec-edit.js';
import { maskChangeValue } from '../present/diff.js';
import type { KeyContext } from './context.js';

/**
 * `e`: a service's or node's Spec in the user's editor, as YAML. The console steps aside while the
 * editor runs; on save the changes are shown and y applies them at the version read when the edit
 * began. If the object changed meanwhile, the edit is rebased on it when the fields do not overlap
 * (and asked again), and refused with both sides shown when they do. The file is kept until the
 * edit is applied or dropped, and its path is shown.
 */

/** One edit in progress: what it started from, and where the user's text is. */
interface Draft {
  kind: 'service' | 'node';
  id: string;
  name: string;
  base: Record<string, unknown>;
  version: number;
  dir: string;
  file: string;
  /** What the editor was given, to tell "saved unchanged" from a change. */
  given: string;
}

const MAX_LINES = 12;

/** The editor the user chose ($VISUAL, then $EDITOR, then vi), run on the file through the shell so that "code -w" works. */
function runEditor(c: KeyContext, file: string): number | null {
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  let status: number | null = null;
  c.suspend(() => {
    status = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'swarmdeck-edit', file], { stdio: 'inherit' }).status;
  });
  return status;
}

async function read(c: KeyContext, kind: Draft['kind'], id: string) {
  const object = kind === 'service' ? await c.sync.client.inspectService(id) : await c.sync.client.inspectNode(id);
  return { spec: object.Spec as unknown as Record<string, unknown>, version: object.Version.Index };
}

/** Starts editing the object: reads it fresh, writes it to a private file, opens the editor. */
export async function startEdit(c: KeyContext, kind: Draft['kind'], id: string, name: string): Promise<void> {
  let current;
  try {
    current = await read(c, kind, id);
  } catch (error) {
    return c.status(`edit ${name}: ${(error as Error).message}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-edit-'));
  const file = join(dir, `${name}.yaml`);
  const given = specToYaml(current.spec, `the Spec of ${kind} ${name}`);
  writeFileSync(file, given, { mode: 0o600 });
  edit(c, { kind, id, name, base: current.spec, version: current.version, dir, file, given });
}

/** Runs the editor on the draft and works out what to do with what it saved. */
function edit(c: KeyContext, draft: Draft): void {
  const status = runEditor(c, draft.file);
  const drop = () => rmSync(draft.dir, { recursive: true, force: true });
  if (status !== 0) return c.status(`the editor exited with ${status ?? 'a signal'}: nothing was sent (your text is kept in ${draft.file})`);
  const text = readFileSync(draft.file, 'utf8');
  if (text === draft.given) {
    drop();
    return c.status(`no changes to ${draft.name}: nothing was sent`, 'info');
  }
  const parsed = parseEdited(text);
  if ('error' in parsed) {
    c.patch({
      confirm: {
        title: `The edit of ${draft.name} is not a valid spec`,
        lines: [parsed.error, `Your text is kept in ${draft.file}.`, 'y opens the editor on it again; n drops it. Nothing was sent.'],
        onYes: () => edit(c, draft),
        onNo: drop,
      },
    });
    return;
  }
  const mine = changes(draft.base, parsed.spec);
  if (mine.length === 0) {
    drop();
    return c.status(`no changes to ${draft.name}: nothing was sent`, 'info');
  }
  c.patch({
    confirm: {
      title: `Apply these changes to ${draft.name}?`,
      lines: [...summary(mine), `(your edit is kept in ${draft.file} until it is applied or dropped)`],
      onYes: () => void apply(c, draft, parsed.spec, mine),
      onNo: drop,
    },
  });
}

/** The changes as the dialog lists them, cut to a screenful. */
function summary(list: Change[], reveal = false): string[] {
  // Secret-looking values are masked here as in inspect (x there reveals them).
  const lines = list.slice(0, MAX_LINES).map((change) => changeLine(change, (path, value) => maskChangeValue(path, value, reveal)));
  if (list.length > MAX_LINES) lines.push(`... and ${list.length - MAX_LINES} more`);
  return lines;
}

/** Sends the edit at the version it started from, or, if the object changed since, rebases it and asks again. */
async function apply(c: KeyContext, draft: Draft, spec: Record<string, unknown>, mine: Change[]): Promise<void> {
  let now;
  try {
    now = await read(c, draft.kind, draft.id);
  } catch (error) {
    return c.status(`edit ${draft.name}: ${(error as Error).message} (your edit is kept in ${draft.file})`);
  }
  if (now.version !== draft.version) {
    const theirs = changes(draft.base, now.spec);
    const rebased = rebase(draft.base, spec, now.spec);
    if ('conflicts' in rebased) {
      c.patch({
        confirm: {
          title: `${draft.name} changed while you edited it, in the fields you changed`,
          lines: [
            'Changed meanwhile:',
            ...summary(theirs),
            `Both changed: ${rebased.conflicts.join(', ')}. Nothing was sent; your edit is kept in ${draft.file}.`,
          ],
          onYes: () => c.status(`nothing was sent; your edit is kept in ${draft.file}`, 'info'),
        },
      });
      return;
    }
    // Rebased: the other change stays, ours goes on top of it; asked again, at the new version.
    const next = { ...draft, base: now.spec, version: now.version };
    c.patch({
      confirm: {
        title: `${draft.name} changed while you edited it; your changes were rebased on it`,
        lines: ['Changed meanwhile (kept):', ...summary(theirs), 'Yours:', ...summary(mine)],
        onYes: () => void apply(c, next, rebased.spec, mine),
        onNo: () => rmSync(draft.dir, { recursive: true, force: true }),
      },
    });
    return;
  }
  const done = await runAction(c.actions, {
    verb: 'edit',
    kind: draft.kind,
    object: { id: draft.id, name: draft.name },
    version: draft.version,
    spec,
    summary: mine.map((m) => m.path).join(', '),
  });
  if (done) rmSync(draft.dir, { recursive: true, force: true });
  else c.status(`${c.store.getSnapshot().status?.text ?? 'the edit failed'} (your edit is kept in ${draft.file})`);
}
