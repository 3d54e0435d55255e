// Fixes to docker-modem (dockerode's HTTP layer) applied when the bundle is built, as
// scripts/ink-fixes.mjs does for Ink: an installed package runs no install script of ours.
//
// docker-modem 5 formats every request's options with util.inspect (showHidden, unlimited depth:
// the http.Agent with its sockets and queues included) to pass them to `debug`, whether or not
// DEBUG=modem is set. At 1,000 nodes --once samples ~3,500 containers, and that formatting was
// 1.2 s of the 3.8 s of CPU the command spent. The edit formats only when the debug output is on.
// A build whose docker-modem code is not what the edit knows fails, rather than ship it unfixed.
import { readFile } from 'node:fs/promises';

const FROM = "  debug('Sending: %s', util.inspect(options, {";
const TO = "  /* swarmdeck: formatted only when shown, see scripts/modem-fixes.mjs */ if (debug.enabled) debug('Sending: %s', util.inspect(options, {";

/** docker-modem's modem.js with the edit applied (any other file: as it is). */
export function fixModem(file, text) {
  if (!file.endsWith('/docker-modem/lib/modem.js')) return text;
  if (text.split(FROM).length !== 2)
    throw new Error(`${file}: docker-modem's code is not what scripts/modem-fixes.mjs knows; update the edit for this docker-modem`);
  return text.replace(FROM, TO);
}

/** The esbuild plugin that applies fixModem to docker-modem as it is bundled. */
export const modemFixes = {
  name: 'modem-fixes',
  setup(build) {
    build.onLoad({ filter: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/ }, async (args) => ({
      contents: fixModem(args.path.replaceAll('\\', '/'), await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
