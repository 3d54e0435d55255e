import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { createEditFile, removeEditFile } from '../../store/edit-files.js';
import { readSpec, settle, type EditTarget } from '../../store/merge-edit.js';
import type { Conflict } from '../../store/merge.js';
import type { JsonObject } from '../../store/merge-shape.js';
import { specChanges } from '../../store/merge.js';
import { runAction } from '../../store/run-action.js';
import { parseEdited, specToYaml, type Change } from '../../store/spec-edit.js';
import { previewLine, previewValue } from '../present/diff.js';
import { inert } from '../sanitize.js';
import type { KeyContext } from './context.js';

/**
 * `e`: a service's or node's Spec in the user's editor, as YAML. The console steps aside while the
 * editor runs; on save the changes are shown and y applies them at the version read when the edit
 * began. If the object changed meanwhile, the edit is merged three ways with that change (see
 * store/merge.ts) and what would be written is asked again; where both changed the same thing, both
 * sides are shown and nothing is sent. The file (it can hold passwords) is removed when the edit
 * ends, however it ends.
 */

/** One edit in progress: what it started from, and where the user's text is. */
interface Draft extends EditTarget {
  name: string;
  base: JsonObject;
  version: number;
  dir: string;
  file: string;
}

/** The most changes a dialog lists (the rest are counted). */
const MAX_LINES = 10;
/** The most characters of a value a dialog shows (the rest is counted). */
const ROOM = 60;

/** How the editor ended: its exit status, or why it did not exit normally. */
function runEditor(c: KeyContext, file: string): string | undefined {
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  let outcome: ReturnType<typeof spawnSync> | undefined;
  let thrown: unknown;
  c.suspend(() => {
    try {
      // Through the shell, so that "code -w" works.
      outcome = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'swarmdeck-edit', file], { stdio: 'inherit' });
    } catch (error) {
      thrown = error;
    }
  });
  const error = (thrown as Error | undefined) ?? outcome?.error;
  if (error) return `could not be started (${error.message})`;
  if (outcome?.signal) return `was killed by ${outcome.signal}`;
  const status = outcome?.status ?? 0;
  // The shell reports an editor killed by a signal as 128 + the signal's number.
  const signal = status > 128 ? Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0] : undefined;
  if (signal) return `was killed by ${signal}`;
  return status === 0 ? undefined : `exited with status ${status}`;
}

/** Starts editing the object: reads it fresh, writes it to a private file, opens the editor. */
export async function startEdit(c: KeyContext, kind: Draft['kind'], id: string, name: string): Promise<void> {
  let current;
  try {
    current = await readSpec(c.sync.client, { kind, id });
  } catch (error) {
    return c.status(`edit ${name}: ${(error as Error).message}`);
  }
  const { dir, file } = createEditFile(name, specToYaml(current.spec, `the Spec of ${kind} ${name}`));
  edit(c, { kind, id, name, base: current.spec, version: current.version, dir, file });
}

/** Ends the edit: its file removed, and a message. */
function end(c: KeyContext, draft: Draft, text: string, kind: 'info' | 'error' = 'error'): void {
  removeEditFile(draft.dir);
  c.status(text, kind);
}

/** Runs the editor on the draft and works out what to do with what it saved. */
function edit(c: KeyContext, draft: Draft): void {
  const failed = runEditor(c, draft.file);
  if (failed) return end(c, draft, `edit ${draft.name}: the editor ${failed}: nothing was sent`);
  let text: string;
  try {
    text = readFileSync(draft.file, 'utf8');
  } catch (error) {
    const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return end(c, draft, `edit ${draft.name}: ${gone ? 'the editor removed or renamed the file' : (error as Error).message}: nothing was sent`);
  }
  const parsed = parseEdited(text);
  if ('error' in parsed) {
    c.status(`edit ${draft.name}: your text is kept in ${draft.file} until the edit ends`, 'info');
    c.patch({
      confirm: {
        title: `The edit of ${draft.name} is not a valid spec`,
        lines: [inert(parsed.error.slice(0, 200)), `Your text is kept in ${draft.file}. Nothing was sent.`],
        // y sends nothing here: the keys say what they do, not "go ahead".
        keys: { yes: 'open the editor again', no: 'drop the edit' },
        onYes: () => edit(c, draft),
        onNo: () => removeEditFile(draft.dir),
      },
    });
    return;
  }
  const mine = specChanges(draft.base, parsed.spec);
  if (mine.length === 0) return end(c, draft, `no changes to ${draft.name}: nothing was sent`, 'info');
  c.status(`edit ${draft.name}: your text is kept in ${draft.file} until the edit ends`, 'info');
  c.patch({
    confirm: {
      title: `Apply these changes to ${draft.name}?`,
      lines: summary(mine),
      onYes: () => void apply(c, draft, parsed.spec),
      onNo: () => removeEditFile(draft.dir),
    },
  });
}

/** The changes as a dialog lists them (masked, values cut), cut to a screenful. */
function summary(list: Change[]): string[] {
  const lines = list.slice(0, MAX_LINES).map((change) => previewLine(change, false, ROOM));
  if (list.length > MAX_LINES) lines.push(`... and ${list.length - MAX_LINES} more`);
  return lines;
}

/** A value in a conflict's line. */
function shown(path: string, value: unknown): string {
  const v = previewValue(path, value, false, ROOM);
  return inert(v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
}

/** A conflict as the dialog and the editor's comments write it: yours, theirs, and what it was. */
const conflictLine = (k: Conflict) => `${k.path}: yours ${shown(k.path, k.mine)}, theirs ${shown(k.path, k.theirs)} (was ${shown(k.path, k.base)})`;

/**
 * Sends the spec at the version the edit started from; or, if the object changed since, merges and
 * asks again with exactly what would be written; or shows the conflicts and sends nothing.
 */
async function apply(c: KeyContext, draft: Draft, spec: JsonObject): Promise<void> {
  let settled;
  try {
    settled = await settle(c.sync.client, draft, draft.base, draft.version, spec);
  } catch (error) {
    return end(c, draft, `edit ${draft.name}: ${(error as Error).message}: nothing was sent`);
  }
  if ('conflicts' in settled) {
    const { conflicts, partial, now, theirs } = settled;
    c.patch({
      confirm: {
        title: `${draft.name} changed while you edited it, in the same places: nothing was sent`,
        lines: [
          // First: a short screen cuts the end of the list, never what y and n do.
          'y edits again, from the spec as it is now with your other changes.',
          'Both changed:',
          ...conflicts.slice(0, MAX_LINES).map(conflictLine),
          ...(conflicts.length > MAX_LINES ? [`... and ${conflicts.length - MAX_LINES} more`] : []),
          'Changed meanwhile:',
          ...summary(theirs),
        ],
        keys: { yes: 'edit again', no: 'drop your edit' },
        onYes: () => editAgain(c, draft, conflicts, partial, now),
        onNo: () => removeEditFile(draft.dir),
      },
    });
    return;
  }
  if (settled.moved) {
    const { write, now, changes, theirs } = settled;
    if (changes.length === 0) return end(c, draft, `edit ${draft.name}: the spec already is what you saved: nothing was sent`, 'info');
    // Merged: asked again, listing exactly what would be written to the spec as it is now.
    c.patch({
      confirm: {
        title: `${draft.name} changed while you edited it; your changes were merged with it`,
        lines: ['Will be written:', ...summary(changes), 'Changed meanwhile (kept):', ...summary(theirs)],
        onYes: () => void apply(c, { ...draft, base: now.spec, version: now.version }, write),
        onNo: () => removeEditFile(draft.dir),
      },
    });
    return;
  }
  const written = settled.changes;
  await runAction(c.actions, {
    verb: 'edit',
    kind: draft.kind,
    object: { id: draft.id, name: draft.name },
    version: settled.version,
    spec: settled.write,
    summary: written.map((m) => m.path).join(', '),
  });
  // Applied or refused, the edit has ended (runAction said which on the status line).
  removeEditFile(draft.dir);
}

/** After a conflict: the editor again, on the spec as it is now with the user's other changes, the conflicts noted at the top. */
function editAgain(c: KeyContext, draft: Draft, conflicts: Conflict[], partial: JsonObject, now: { spec: JsonObject; version: number }): void {
  const notes = conflicts.map((k) => `# both changed ${conflictLine(k)}; theirs is below`).join('\n');
  writeFileSync(draft.file, `${notes}\n${specToYaml(partial, `the Spec of ${draft.kind} ${draft.name}`)}`, { mode: 0o600 });
  edit(c, { ...draft, base: now.spec, version: now.version });
}
