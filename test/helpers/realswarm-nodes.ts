import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The engine suite's real swarm: its manager's socket (SWARMDECK_TEST_DOCKER_HOST), and realswarm's
// other nodes' sockets beside it (nodes/NAME/docker.sock), as --node-host would map them.

/** The manager's DOCKER_HOST, when the engine suite is given one. */
export const host = process.env.SWARMDECK_TEST_DOCKER_HOST;

/** realswarm's folder of node folders (unix:// hosts only). */
export const nodesDir = host?.startsWith('unix://') ? dirname(dirname(host.slice(7))) : undefined;

/** The nodes whose engine sockets are there, by name. */
export const sockets = nodesDir && existsSync(nodesDir) ? readdirSync(nodesDir).filter((n) => existsSync(join(nodesDir, n, 'docker.sock'))) : [];

/** The image every realswarm node has. */
export const image = process.env.SWARMDECK_TEST_IMAGE ?? 'local/busybox:1';
