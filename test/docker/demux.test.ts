import { expect, test } from 'vitest';
import { BAD_FRAME_MARKER, CUT_MARKER, LogDemuxer, MAX_FRAME, MAX_LINE } from '../../source/docker/demux.js';

/** One multiplexed frame as the engine writes it: stream byte, three zeros, length, payload. */
const frame = (stream: 1 | 2, payload: string | Buffer) => {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};
const TS = '2026-11-22T12:00:00.000000000Z';
const DETAILS = 'com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1';

test("a line the engine split into 16 KB frames comes back as one line, with the first frame's time and task", () => {
  const demuxer = new LogDemuxer(false, true, true);
  const part = 'x'.repeat(16 * 1024);
  const lines = demuxer.push(
    Buffer.concat([
      frame(1, `${TS} ${DETAILS} ${part}`),
      frame(1, `2026-11-22T12:00:00.000000001Z ${DETAILS} ${part}`),
      frame(1, `2026-11-22T12:00:00.000000002Z ${DETAILS} end\n`),
    ]),
  );
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ stream: 'stdout', taskId: 't1', time: Date.parse(TS), text: `${part}${part}end` });
});

test('a line over 64 KB is cut with a marker, and the next line is whole', () => {
  const demuxer = new LogDemuxer(false, true, true);
  const part = 'y'.repeat(16 * 1024);
  const frames = Array.from({ length: 6 }, () => frame(2, `${TS} ${DETAILS} ${part}`));
  const lines = demuxer.push(Buffer.concat([...frames, frame(2, `${TS} ${DETAILS} tail\n`), frame(2, `${TS} ${DETAILS} next\n`)]));
  expect(lines.map((l) => l.text.length)).toEqual([MAX_LINE + CUT_MARKER.length, 4]);
  expect(lines[0].text.endsWith(CUT_MARKER)).toBe(true);
  expect(lines[1].text).toBe('next');
});

test('bytes that are not UTF-8 are replaced with U+FFFD, and the rest of the line is kept', () => {
  const demuxer = new LogDemuxer(false, false, false);
  const [line] = demuxer.push(frame(1, Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' end\n')])));
  expect(line.text).toBe('bad \uFFFD\uFFFD\uFFFD end');
});

test('on a TTY stream, a character split between two chunks is kept whole', () => {
  const demuxer = new LogDemuxer(true, false, false);
  const bytes = Buffer.from('caf\u00e9 ok\n');
  const first = demuxer.push(bytes.subarray(0, 4));
  const second = demuxer.push(bytes.subarray(4));
  expect(first).toEqual([]);
  expect(second.map((l) => l.text)).toEqual(['caf\u00e9 ok']);
});

test('a frame split across chunks waits for the rest, and a last line without newline comes out at the end', () => {
  const demuxer = new LogDemuxer(false, false, false);
  const bytes = Buffer.concat([frame(1, 'one\n'), frame(2, 'two, no newline')]);
  expect(demuxer.push(bytes.subarray(0, 10)).map((l) => l.text)).toEqual([]);
  expect(demuxer.push(bytes.subarray(10)).map((l) => l.text)).toEqual(['one']);
  expect(demuxer.end()).toEqual([{ stream: 'stderr', text: 'two, no newline' }]);
});

test('a frame header claiming more than any engine sends ends the stream with a message, and nothing after it is buffered', () => {
  const demuxer = new LogDemuxer(false, false, false);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(MAX_FRAME + 1, 4);
  const lines = demuxer.push(Buffer.concat([frame(1, 'before\n'), header, Buffer.from('junk')]));
  expect(lines.map((l) => l.text)).toEqual(['before', BAD_FRAME_MARKER]);
  expect(demuxer.push(frame(1, 'after\n'))).toEqual([]);
  expect(demuxer.push(Buffer.alloc(1024 * 1024))).toEqual([]);
  expect(demuxer.end()).toEqual([]);
});

test('a stream byte that is not stdin, stdout or stderr is not a log stream: one message, then nothing', () => {
  const demuxer = new LogDemuxer(false, false, false);
  const lines = demuxer.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>'));
  expect(lines.map((l) => l.text)).toEqual([BAD_FRAME_MARKER]);
});
