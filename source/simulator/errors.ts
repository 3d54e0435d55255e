/**
 * Every error the simulated manager returns is made here, with dockerd 20.10's status codes and
 * wording (captured from a real engine), so that clients see exactly what a real manager says.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Plain-text errors (dockerd answers a too-old client version without JSON). */
    readonly plain = false,
  ) {
    super(message);
  }
}

const rpc = (code: string, desc: string) => `rpc error: code = ${code} desc = ${desc}`;

/** The error factory: one function per dockerd error the simulator can produce. */
export const errors = {
  notFound: (kind: string, ref: string) => new ApiError(404, `${kind} ${ref} not found`),
  ambiguous: (kind: string, ref: string, count: number) => new ApiError(400, `${kind} ${ref} is ambiguous (${count} matches found)`),
  pageNotFound: () => new ApiError(404, 'page not found'),
  versionTooNew: (v: string) => new ApiError(400, `client version ${v} is too new. Maximum supported API version is 1.41`),
  versionTooOld: (v: string) =>
    new ApiError(400, `client version ${v} is too old. Minimum supported API version is 1.12, please upgrade your client to a newer version`, true),
  invalidFilter: (key: string) => new ApiError(400, `Invalid filter '${key}'`),
  invalidFilterValue: (key: string, value: string) => new ApiError(400, `Invalid filter '${key}=${value}'`),
  badJson: (detail: string) => new ApiError(400, detail),
  bodyTooLarge: () => new ApiError(413, 'request body too large'),
  badParameter: (detail: string) => new ApiError(400, detail),
  invalidVersion: (kind: string, raw: string) => new ApiError(400, `invalid ${kind} version '${raw}': strconv.ParseUint: parsing "${raw}": invalid syntax`),
  outOfSequence: () => new ApiError(500, rpc('Unknown', 'update out of sequence')),
  noPreviousSpec: (id: string) => new ApiError(400, rpc('FailedPrecondition', `service ${id} does not have a previous spec`)),
  modeChange: () => new ApiError(501, rpc('Unimplemented', 'service mode change is not allowed')),
  invalidArgument: (desc: string) => new ApiError(400, rpc('InvalidArgument', desc)),
  nameConflict: (name: string) => new ApiError(409, rpc('AlreadyExists', `name conflicts with an existing object: service ${name} already exists`)),
  demoteLastManager: () => new ApiError(400, rpc('FailedPrecondition', 'attempting to demote the last manager of the swarm')),
  quorumLoss: () => new ApiError(400, rpc('FailedPrecondition', "can't remove member from the raft: this would result in a loss of quorum")),
  removeManager: (id: string) =>
    new ApiError(
      400,
      rpc('FailedPrecondition', `node ${id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`),
    ),
  removeNotDown: (id: string) => new ApiError(400, rpc('FailedPrecondition', `node ${id} is not down and can't be removed`)),
  // A real 20.10 manager answers 500 here (seen on a real swarm that lost quorum), not 503.
  noLeader: () =>
    new ApiError(
      500,
      rpc('Unknown', "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online."),
    ),
  notManagerWorker: () =>
    new ApiError(
      503,
      "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.",
    ),
  notManagerInactive: () =>
    new ApiError(503, 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.'),
  locked: () => new ApiError(503, 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.'),
  noStream: () => new ApiError(500, 'Bad parameters: you must choose at least one stream'),
  ttyLogs: () => new ApiError(400, 'tty service logs only supported with --raw'),
  registryUnreachable: (registry = 'registry-1.docker.io') =>
    new ApiError(500, `Get "https://${registry}/v2/": dial tcp: lookup ${registry}: no such host (swarmdeck simulator is offline)`),
  noSuchContainer: (ref: string) => new ApiError(404, `No such container: ${ref}`),
  mismatchedSpec: () => new ApiError(400, 'mismatched Runtime and *Spec fields'),
};
