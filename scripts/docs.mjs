// Writes the README's key table from the keymap (run: npm run docs). A test fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { keyTableMarkdown } from '../build/keymap/lookup.js';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const begin = '<!-- keys:begin -->';
const end = '<!-- keys:end -->';
const at = readme.indexOf(begin);
const stop = readme.indexOf(end);
if (at < 0 || stop < 0) throw new Error('README.md has no <!-- keys:begin --> ... <!-- keys:end --> block');
writeFileSync(file, `${readme.slice(0, at + begin.length)}\n${keyTableMarkdown()}\n${readme.slice(stop)}`);
