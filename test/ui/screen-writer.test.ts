import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { FrameStdout, parseLine, ScreenWriter } from '../../source/ui/screen-writer.js';

const frame = (rows: string[]) => rows.join('\n');
const red = (s: string) => `\u001b[31m${s}\u001b[39m`;

function writer() {
  const writes: string[] = [];
  const w = new ScreenWriter({ write: (d: string) => writes.push(d) }, 0);
  return { w, writes };
}

describe('the screen writer', () => {
  test('the first frame is drawn whole, at the top left', () => {
    const { w, writes } = writer();
    w.frame(frame(['one', 'two']));
    expect(writes.join('')).toBe('\u001b[1;1Hone\u001b[2;1Htwo');
  });

  test('an unchanged frame writes nothing', () => {
    const { w, writes } = writer();
    w.frame(frame(['one', 'two']));
    w.frame(frame(['one', 'two']));
    expect(writes).toHaveLength(1);
  });

  test('one changed cell costs a cursor move and the new characters, not the line', () => {
    const { w, writes } = writer();
    const line = (n: string) => `redis              replicated  ${n}/3       redis:latest                   *:6379->6379/tcp`;
    w.frame(frame(['header', line('1'), line('3')]));
    w.frame(frame(['header', line('2'), line('3')]));
    expect(writes[1]).toBe('\u001b[2;32H2');
    expect(Buffer.byteLength(writes[1])).toBeLessThan(line('2').length);
  });

  test('colours are kept and reset after a change', () => {
    const { w, writes } = writer();
    w.frame(frame([`a ${red('x')} b`]));
    w.frame(frame([`a ${red('y')} b`]));
    expect(writes[1]).toBe('\u001b[1;3H\u001b[0;31my\u001b[0m');
  });

  test('a shorter line clears what is left of the old one', () => {
    const { w, writes } = writer();
    w.frame(frame(['a long line']));
    w.frame(frame(['a long']));
    expect(writes[1]).toBe('\u001b[1;7H\u001b[K');
  });

  test('lines with wide characters are rewritten whole', () => {
    const { w, writes } = writer();
    w.frame(frame(['名前 a']));
    w.frame(frame(['名前 b']));
    expect(writes[1]).toBe('\u001b[1;1H名前 b\u001b[K');
  });

  test('parseLine reads SGR styles per cell', () => {
    const { cells } = parseLine(`\u001b[1mA\u001b[22mB`);
    expect(cells).toEqual([
      { ch: 'A', style: '1' },
      { ch: 'B', style: '' },
    ]);
  });
});

describe('FrameStdout', () => {
  test('passes frames on, not the cursor show/hide sequences Ink writes through it', async () => {
    const { EventEmitter } = await import('node:events');
    const { FrameStdout } = await import('../../source/ui/screen-writer.js');
    const frames: string[] = [];
    const out = new FrameStdout(Object.assign(new EventEmitter(), { columns: 80, rows: 24 }) as any, (f) => frames.push(f));
    out.write('frame one');
    out.write('\u001b[?25l');
    out.write('\u001b[?25h');
    expect(frames).toEqual(['frame one']);
  });

  test('a frame made for a larger terminal is cut to the terminal: nothing wraps, nothing scrolls', () => {
    const writes: string[] = [];
    const w = new ScreenWriter({ write: (d: string) => writes.push(d), columns: 5, rows: 2 }, 0);
    w.frame(frame(['abcdefgh', red('123456789'), 'third line']));
    expect(writes.join('')).toBe('\u001b[1;1Habcde\u001b[2;1H\u001b[0;31m12345\u001b[0m');
  });

  test("Ink's erasing of lines when the terminal narrows is not taken for a frame", () => {
    const frames: string[] = [];
    const out = new FrameStdout(Object.assign(new EventEmitter(), { columns: 80, rows: 24 }) as unknown as NodeJS.WriteStream, (f) => frames.push(f));
    out.write('\u001b[2K\u001b[1A\u001b[2K\u001b[G');
    expect(frames).toEqual([]);
  });
});
