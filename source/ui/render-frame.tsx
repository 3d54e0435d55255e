import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';
import { FrameStdout } from './screen-writer.js';

/** Renders an element once, off screen, and returns the text Ink would draw at `width` columns. */
export function renderFrame(element: ReactElement, width: number, height: number): string {
  let frame = '';
  const size = Object.assign(new EventEmitter(), { columns: width, rows: height + 1 });
  const stdout = new FrameStdout(size as unknown as NodeJS.WriteStream, (text) => (frame = text), false);
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setRawMode() {}, setEncoding() {}, read: () => null, ref() {}, unref() {} });
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  // Taken before unmounting: under CI=true Ink's unmount writes one more, empty, frame.
  const last = frame;
  instance.unmount();
  return last;
}
