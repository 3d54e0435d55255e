import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ActionLog } from '../store/action-log.js';
import { needsKey } from '../store/needs.js';
import type { ActionContext } from '../store/run-action.js';
import { dataStale, type ClusterState, type StatusMessage } from '../store/state.js';
import type { Store } from '../store/store.js';
import type { Sync } from '../store/sync.js';
import { CHROME_ROWS, Screen } from './screen.js';
import { handleKey } from './keys/commands.js';
import { keyContext, type HandOver } from './keys/context.js';
import type { PressedKey } from './keys/prompt.js';
import { withoutEscapeSequences } from './escape-input.js';
import { currentView, initialUi, viewKey, type UiState, type View } from './ui-state.js';
import { viewRows, viewSpec } from './views/index.js';

type InkKey = Parameters<Parameters<typeof useInput>[0]>[1];

/** Splits a chunk of typed characters into key presses as Ink would have reported them one by one. */
export function splitKeys(chunk: string): { input: string; key: Partial<InkKey> }[] {
  const none = { return: false, backspace: false, delete: false, ctrl: false, escape: false, tab: false };
  return [...chunk].map((ch) => {
    if (ch === '\r' || ch === '\n') return { input: '', key: { ...none, return: true } };
    if (ch === '\u007f' || ch === '\b') return { input: '', key: { ...none, backspace: true } };
    if (ch === '\t') return { input: '', key: { ...none, tab: true } };
    const code = ch.charCodeAt(0);
    if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), key: { ...none, ctrl: true } };
    return { input: ch, key: none };
  });
}

/** What the live console needs. */
export interface AppProps {
  store: Store;
  sync: Sync;
  readOnly: boolean;
  /** Fixed size (tests, --once); else the terminal's, following resizes. */
  width?: number;
  height?: number;
  /** The clock for "x ago" (tests pass the simulator's). */
  now?: () => number;
  initialView?: View;
  /** Where actions are recorded (default: the XDG state directory). */
  actionLog?: ActionLog;
  /** Runs a program that takes the terminal (the editor): the console steps aside and comes back. Default: just run it (tests). */
  suspend?: (run: () => void) => void;
  /** Hands the terminal to a shell in a container while the console steps aside (the live console only). */
  handOver?: HandOver;
}

function useTerminalSize(width?: number, height?: number) {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout?.columns || 80, rows: stdout?.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (width !== undefined || !stdout) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, width]);
  // One row less than the terminal: Ink 6 clears the whole screen before a frame as tall as the terminal.
  return { width: width ?? size.columns, height: height ?? Math.max(CHROME_ROWS + 2, size.rows - 1) };
}

/** The console: state from the store, keys through the keymap, actions through the store's actions. */
export function App({ store, sync, readOnly, width: fixedWidth, height: fixedHeight, now = Date.now, initialView, actionLog, suspend, handOver }: AppProps) {
  const log = useMemo(() => actionLog ?? new ActionLog(), [actionLog]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { width, height } = useTerminalSize(fixedWidth, fixedHeight);
  const [ui, setUi] = useState<UiState>(() => initialUi(initialView));
  const [, setTick] = useState(0);
  // The key handler reads and writes this ref synchronously; `ui` follows it on the next render.
  const uiRef = useRef(ui);
  // Images this session's drill made fail: the same key makes them work again.
  const brokenImages = useRef(new Set<string>());
  const view = currentView(ui);
  const key = viewKey(view);
  const bodyHeight = Math.max(1, height - CHROME_ROWS);
  const ctx: ActionContext = useMemo(() => ({ store, sync, readOnly, now, log }), [store, sync, readOnly, now, log]);

  const spec = viewSpec(view.kind);
  const env = { view, state, ui, now: now(), width, bodyHeight };
  const selection = viewRows(env);

  // A message belongs to the view it was said on, and to the moment: see shownStatus.
  // (Each message is a new object: the same words said again are a new message.)
  const owner = useRef<{ status?: StatusMessage; view: string }>({ view: key });
  if (state.status !== owner.current.status) owner.current = { status: state.status, view: key };
  const status = shownStatus(state, owner.current.view === key, env.now);

  // Ages ("5 seconds ago"), the retry countdown and the status line's expiry move with time even when
  // no data changes; when none of them is on screen, nothing is redrawn on a timer.
  const timeShown = Boolean(spec.clock) || dataStale(state) || Boolean(status);
  useEffect(() => {
    if (!timeShown) return;
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, [timeShown]);

  // Only what is on screen is fetched: the view says what it needs, the sync keeps exactly that current.
  const needs = spec.needs(env, selection);
  const needsId = needsKey(needs);
  const needsRef = useRef(needs);
  needsRef.current = needs;
  useEffect(() => {
    sync.show(needsRef.current, log);
  }, [needsId, sync, log]);

  const onKey = (input: string, keyInfo: PressedKey) => {
    const c = keyContext({
      ui: () => uiRef.current,
      setUi: (next) => {
        uiRef.current = next;
        setUi(next);
      },
      store,
      sync,
      actions: ctx,
      now,
      width,
      bodyHeight,
      readOnly,
      brokenImages: brokenImages.current,
      suspend: suspend ?? ((run) => run()),
      handOver,
      // The live console's stdout (FrameStdout) redraws whole; a test's renders every frame whole anyway.
      repaint: () => (stdout as { repaint?: () => void } | undefined)?.repaint?.(),
      exit,
    });
    handleKey(c, input, keyInfo);
  };

  // Ink hands over a whole read at once: keys typed fast, pasted, or sent by tmux arrive as one
  // string ("js", "4\r"). Split it into single keys so that each one is matched on its own.
  useInput((raw, keyInfo) => {
    // Terminal reports and control strings are taken out whole first (a mouse report is not typing).
    const input = raw.length > 1 && !keyInfo.ctrl && !keyInfo.meta ? withoutEscapeSequences(raw) : raw;
    if (input === '' && raw !== '') return;
    if (input.length <= 1 || input.startsWith('\u001b') || keyInfo.ctrl || keyInfo.meta) return onKey(input, keyInfo);
    for (const press of splitKeys(input)) onKey(press.input, { ...keyInfo, ...press.key });
  });

  return (
    <Screen
      state={state}
      status={status}
      ui={spec.list ? { ...ui, selection: { ...ui.selection, [key]: selection.selectedKey } } : ui}
      width={width}
      height={height}
      now={env.now}
      readOnly={readOnly}
      rows={spec.list ? selection : undefined}
    />
  );
}

/** How long a message stays on the status line, ms: after that it is in the history (M) and, for actions, the action log. */
export const STATUS_TTL = 10_000;

/** The message the status line shows: the last one, on the view it was said on, for STATUS_TTL, and not from before a reconnect. */
export function shownStatus(state: ClusterState, onItsView: boolean, now: number): StatusMessage | undefined {
  const { status } = state;
  if (!status || !onItsView || now - status.at >= STATUS_TTL) return undefined;
  if (state.connectedSince !== undefined && status.at < state.connectedSince) return undefined;
  return status;
}
