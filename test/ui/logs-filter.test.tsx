import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { crashLoop } from '../../source/simulator/model/drills.js';
import { KEY, startConsole, type TestConsole } from '../helpers/console.js';

// Issue 26: a filter, saving what was found, and a task's end said in its logs.
let c: TestConsole | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const logRows = (frame: string) => frame.split('\n').filter((l) => /^[\w-]+\.\d+(?:\.\w+@[\w-]+)? \| /.test(l));
const title = (frame: string) => frame.split('\n').find((l) => l.includes(' Logs of '))!;
const CTRL_S = '\u0013';
const TAB = '\t';

async function counterLogs(): Promise<TestConsole> {
  const console = await startConsole();
  await console.waitFor('flaskontesting');
  await console.selectRow('counter');
  await console.press('l');
  await console.waitFor('600 lines');
  return console;
}

describe('the logs filter', () => {
  test('a regex shows only the matching lines, smartcase, with counts; a bad one changes nothing; new matches keep arriving; Esc clears', async () => {
    c = await counterLogs();
    const lines = () => c!.store.getSnapshot().logs.lines;
    const count = (re: RegExp) => lines().filter((l) => re.test(l.text)).length;
    // An alternation, lower case: any case matches.
    await c.press('/', ...'slow|warn', KEY.enter);
    let frame = await c.waitFor(/\/slow\|warn \d+ of 600/);
    expect(title(frame)).toContain(`/slow|warn ${count(/slow|warn/i)} of 600`);
    expect(count(/slow|warn/i)).toBeGreaterThan(0);
    for (const row of logRows(frame)) expect(row).toMatch(/slow|warn/i);
    // A capital letter makes it case-sensitive: the lines say WARN.
    await c.press('/', ...'Warn', KEY.enter);
    frame = await c.waitFor(/\/Warn 0 of 600/);
    await c.press('/', ...'WARN', KEY.enter);
    frame = await c.waitFor(new RegExp(`/WARN ${count(/WARN/)} of 600`));
    // An invalid pattern: a message, and the filter before it stays.
    await c.press('/', '(', KEY.enter);
    frame = await c.waitFor('/( is not a regular expression');
    expect(title(frame)).toMatch(/\/WARN \d+ of 600/);
    // Following: matching lines that arrive are shown, and counted.
    const before = count(/WARN/);
    c.swarm.advance(120_000);
    await c.waitFor(() => count(/WARN/) > before);
    const newest = lines()
      .filter((l) => /WARN/.test(l.text))
      .at(-1)!.text;
    frame = await c.waitFor((f) => logRows(f).at(-1)?.endsWith(newest) ?? false);
    expect(title(frame)).toMatch(/follow/);
    expect(title(frame)).toContain(`/WARN ${count(/WARN/)} of ${lines().length}`);
    for (const row of logRows(frame)) expect(row).toContain('WARN');
    // A new / starts empty.
    await c.press('/');
    frame = await c.waitFor('filter / (regex');
    expect(
      frame
        .split('\n')
        .find((l) => l.includes('filter / (regex'))!
        .trimEnd(),
    ).toMatch(/case-sensitive\): _$/);
    await c.press(KEY.escape);
    // Esc clears the filter: every line again.
    await c.press(KEY.escape);
    frame = await c.waitFor((f) => !title(f).includes('/WARN'));
    expect(logRows(frame).some((r) => !r.includes('WARN'))).toBe(true);
  });

  test('Tab shows every line with the matches highlighted; n and N step from the newest match', async () => {
    c = await counterLogs();
    const lines = () => c!.store.getSnapshot().logs.lines;
    await c.press('/', ...'WARN', KEY.enter);
    await c.waitFor(/\/WARN \d+ of 600/);
    await c.press(TAB);
    let frame = await c.waitFor(/\/WARN \d+ of 600 \(all lines\)/);
    expect(logRows(frame).some((r) => !r.includes('WARN'))).toBe(true);
    const matches = lines().filter((l) => l.text.includes('WARN'));
    await c.press('n');
    frame = await c.waitFor(`match 1 of ${matches.length} for /WARN`);
    expect(title(frame)).toMatch(/paused/);
    // The newest match is the bottom row, with the lines before it above.
    expect(logRows(frame).at(-1)).toContain(matches.at(-1)!.text);
    await c.press('n');
    frame = await c.waitFor(`match 2 of ${matches.length} for /WARN`);
    expect(logRows(frame).at(-1)).toContain(matches.at(-2)!.text);
    await c.press('N');
    frame = await c.waitFor(`match 1 of ${matches.length} for /WARN`);
    expect(logRows(frame).at(-1)).toContain(matches.at(-1)!.text);
    // Tab again: only the matches.
    await c.press(TAB);
    frame = await c.waitFor((f) => !title(f).includes('(all lines)'));
    for (const row of logRows(frame)) expect(row).toContain('WARN');
  });
});

describe('saving logs', () => {
  test('Ctrl+S writes the lines shown, filtered as shown, to the state directory (0600), or to a path typed', async () => {
    c = await counterLogs();
    await c.press('/', ...'WARN', KEY.enter);
    await c.waitFor(/\/WARN \d+ of 600/);
    await c.press(CTRL_S);
    await c.waitFor(/save the lines matching \/WARN to \(Enter: .*swarmdeck\/logs\/counter-\d{8}T\d{6}Z\.log\)/);
    await c.press(KEY.enter);
    const frame = await c.waitFor(/saved \d+ lines matching \/WARN to \S+/);
    const path = /saved \d+ lines matching \/WARN to (\S+)/.exec(frame)![1];
    const dir = join(process.env.XDG_STATE_HOME!, 'swarmdeck', 'logs');
    expect(readdirSync(dir)).toHaveLength(1);
    const file = join(dir, readdirSync(dir)[0]);
    expect(path).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = readFileSync(file, 'utf8').trimEnd().split('\n');
    const warns = c.store.getSnapshot().logs.lines.filter((l) => l.text.includes('WARN'));
    expect(saved).toHaveLength(warns.length);
    saved.forEach((line, i) => expect(line).toMatch(new RegExp(`^counter\\.\\d\\.\\w+@core-\\d\\d \\| ${warns[i].text.replace(/[()]/g, '\\$&')}$`)));

    // A typed path; a secret-looking value stays masked as on screen.
    c.store.dispatch({
      type: 'logs/append',
      lines: [{ stream: 'stdout', time: Date.now() * 2, text: 'WARN login with password=hunter2 for db' }],
      limit: 5000,
    });
    await c.waitFor('password=******');
    const typed = join(process.env.XDG_STATE_HOME!, 'postmortem.log');
    await c.press(CTRL_S, ...typed, KEY.enter);
    await c.waitFor(`to ${typed}`);
    expect(statSync(typed).mode & 0o777).toBe(0o600);
    const text = readFileSync(typed, 'utf8');
    expect(text).toContain('WARN login with password=****** for db');
    expect(text).not.toContain('hunter2');
  });
});

describe('a task ends', () => {
  test("its logs say when and how, in the service's logs and the task's", async () => {
    c = await counterLogs();
    crashLoop(c.swarm.sim.swarm, 'counter');
    c.swarm.advance(20_000);
    const frame = await c.waitFor(/\| task exited: Failed \(exit 1\) at \d\d:\d\d:\d\d/, 10_000);
    const row = frame.split('\n').find((l) => l.includes('task exited'))!;
    expect(row).toMatch(/^counter\.\d\.\w+@core-\d\d \| task exited: Failed \(exit 1\) at \d\d:\d\d:\d\d$/);
    // The note shows through a filter, and new tasks' lines join after it.
    await c.press('/', ...'nothing-matches-this', KEY.enter);
    await c.waitFor(/nothing-matches-this 0 of/);
    expect(c.frame()).toContain('task exited: Failed (exit 1)');
  });
});
