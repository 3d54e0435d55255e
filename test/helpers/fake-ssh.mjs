#!/usr/bin/env node
// Stands in for OpenSSH in tests: records its arguments, and for `HOST docker system dial-stdio`
// relays stdin and stdout to FAKE_SSH_SOCKET, as dial-stdio does on a manager. FAKE_SSH_FAIL makes
// it fail the way ssh does (a line on stderr, exit 255).
import { appendFileSync } from 'node:fs';
import { createConnection } from 'node:net';

const args = process.argv.slice(2);
if (process.env.FAKE_SSH_LOG) appendFileSync(process.env.FAKE_SSH_LOG, `${JSON.stringify(args)}\n`);
if (process.env.FAKE_SSH_FAIL) {
  process.stderr.write(`${process.env.FAKE_SSH_FAIL}\n`);
  process.exit(255);
}
if (args.slice(-3).join(' ') !== 'docker system dial-stdio') {
  process.stderr.write(`fake ssh: unexpected command ${args.join(' ')}\n`);
  process.exit(2);
}
const socket = createConnection(process.env.FAKE_SSH_SOCKET);
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));
process.stdin.on('end', () => socket.end());
