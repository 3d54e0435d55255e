/** Raft quorum arithmetic, as swarmkit counts it: shared by the simulator's managers and the console's warnings. */

/** The managers a raft of `members` needs reachable to keep quorum (a majority). */
export const quorumOf = (members: number) => Math.floor(members / 2) + 1;

/** How many managers a raft of `members` can lose and still have a leader. */
export const faultTolerance = (members: number) => Math.max(0, members - quorumOf(members));

/** True while `reachable` of `members` managers are a majority, so raft can elect and keep a leader. */
export const hasQuorum = (reachable: number, members: number) => members > 0 && reachable >= quorumOf(members);
