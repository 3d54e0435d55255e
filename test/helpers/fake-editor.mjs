#!/usr/bin/env node
// A stand-in $EDITOR for tests: records what it was given, then edits the file as the environment says.
//   FAKE_EDIT_SEEN  append the text it was given to this file
//   FAKE_EDIT_FROM / FAKE_EDIT_TO  replace the first occurrence
//   FAKE_EDIT_WRITE  replace the whole text
//   FAKE_EDIT_EXIT  exit with this status
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const text = readFileSync(file, 'utf8');
if (process.env.FAKE_EDIT_SEEN) appendFileSync(process.env.FAKE_EDIT_SEEN, `${text}\n--- end ---\n`);
let next = text;
if (process.env.FAKE_EDIT_WRITE !== undefined) next = process.env.FAKE_EDIT_WRITE;
else if (process.env.FAKE_EDIT_FROM) next = text.replace(process.env.FAKE_EDIT_FROM, process.env.FAKE_EDIT_TO ?? '');
if (next !== text) writeFileSync(file, next);
process.exit(Number(process.env.FAKE_EDIT_EXIT ?? 0));
