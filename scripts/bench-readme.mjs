// Copies bench/results.md's table into the README (npm run bench does this after measuring).
import { readFileSync, writeFileSync } from 'node:fs';

const readme = new URL('../README.md', import.meta.url);
const results = readFileSync(new URL('../bench/results.md', import.meta.url), 'utf8')
  .split('\n')
  .slice(2)
  .join('\n')
  .trim();
const text = readFileSync(readme, 'utf8');
const begin = '<!-- bench:begin -->';
const end = '<!-- bench:end -->';
writeFileSync(readme, `${text.slice(0, text.indexOf(begin) + begin.length)}\n${results}\n${text.slice(text.indexOf(end))}`);
