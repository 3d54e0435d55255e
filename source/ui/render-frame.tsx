import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

/** A stdout that keeps the last frame Ink wrote, at a fixed size. */
class FrameStream extends EventEmitter {
  frame = '';
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (text: string) => {
    this.frame = text;
    return true;
  };
}

/** Renders an element once, off screen, and returns the text Ink would draw at `width` columns. */
export function renderFrame(element: ReactElement, width: number, height: number): string {
  const stdout = new FrameStream(width, height + 1);
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setRawMode() {}, setEncoding() {}, read: () => null, ref() {}, unref() {} });
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  // Taken before unmounting: under CI=true Ink's unmount writes one more, empty, frame.
  const frame = stdout.frame;
  instance.unmount();
  return frame;
}
