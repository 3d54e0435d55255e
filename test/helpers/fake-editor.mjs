#!/usr/bin/env node
// A stand-in $EDITOR for tests: records what it was given, then edits the file as the environment says.
//   FAKE_EDIT_SEEN  append the text it was given to this file
//   FAKE_EDIT_FROM / FAKE_EDIT_TO  replace the first occurrence
//   FAKE_EDIT_REGEX  FAKE_EDIT_FROM is a regular expression (multiline), every match replaced
//   FAKE_EDIT_TO_FILE  with FAKE_EDIT_FROM: the replacement is this file's text (for values past the environment's size limit)
//   FAKE_EDIT_WRITE  replace the whole text
//   FAKE_EDIT_DELETE  remove the file; FAKE_EDIT_RENAME  rename it (to NAME.orig)
//   FAKE_EDIT_KILL  kill itself with this signal
//   FAKE_EDIT_EXIT  exit with this status
import { appendFileSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const text = readFileSync(file, 'utf8');
if (process.env.FAKE_EDIT_SEEN) appendFileSync(process.env.FAKE_EDIT_SEEN, `${text}\n--- end ---\n`);
let next = text;
if (process.env.FAKE_EDIT_WRITE !== undefined) next = process.env.FAKE_EDIT_WRITE;
else if (process.env.FAKE_EDIT_FROM) {
  const to = process.env.FAKE_EDIT_TO_FILE ? readFileSync(process.env.FAKE_EDIT_TO_FILE, 'utf8') : (process.env.FAKE_EDIT_TO ?? '');
  const from = process.env.FAKE_EDIT_REGEX ? new RegExp(process.env.FAKE_EDIT_FROM, 'gm') : process.env.FAKE_EDIT_FROM;
  next = text.replace(from, () => to);
}
if (next !== text) writeFileSync(file, next);
if (process.env.FAKE_EDIT_DELETE) unlinkSync(file);
if (process.env.FAKE_EDIT_RENAME) renameSync(file, `${file}.orig`);
if (process.env.FAKE_EDIT_KILL) process.kill(process.pid, process.env.FAKE_EDIT_KILL);
process.exit(Number(process.env.FAKE_EDIT_EXIT ?? 0));
