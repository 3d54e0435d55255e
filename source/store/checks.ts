/** Checks made before an action is sent: what the manager would refuse, or what would harm the swarm, said first. */
import type { SwarmNode, SwarmService } from '../docker/types.js';
import { quorumOf } from '../swarm/quorum.js';

/** Why scaling this service is refused before anything is sent, if it is. */
export function scaleRefusal(service: SwarmService): string | undefined {
  if (service.Spec.Mode?.Global) return `${service.Spec.Name} is a global service: it runs one task per node and cannot be scaled`;
  return undefined;
}

/** Parses a replica count typed by the user: a whole number from 0. */
export function parseReplicas(text: string): number | string {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `"${text}" is not a whole number of replicas (0 or more)`;
  const n = Number(trimmed);
  if (!Number.isSafeInteger(n) || n > 100_000) return `${trimmed} replicas is more than swarmdeck will ask for (100000 at most)`;
  return n;
}

/** Why demoting this node is refused before anything is sent, if it is. */
export function demoteRefusal(node: SwarmNode, nodes: SwarmNode[]): string | undefined {
  if (node.Spec.Role !== 'manager') return `${hostname(node)} is already a worker`;
  const managers = nodes.filter((n) => n.Spec.Role === 'manager');
  if (managers.length <= 1) return `${hostname(node)} is the last manager: demoting it would leave the swarm with no manager`;
  return undefined;
}

/**
 * What demoting this manager does to raft quorum, if it breaks it: after the demotion the raft has
 * one member less, and the managers still reachable must be a majority of what remains.
 */
export function quorumRisk(node: SwarmNode, nodes: SwarmNode[]): string | undefined {
  const managers = nodes.filter((n) => n.ManagerStatus);
  const reachable = managers.filter((n) => n.ManagerStatus?.Reachability === 'reachable');
  const remaining = managers.length - 1;
  const remainingReachable = reachable.length - (node.ManagerStatus?.Reachability === 'reachable' ? 1 : 0);
  const needed = quorumOf(remaining);
  if (remaining < 1 || remainingReachable >= needed) return undefined;
  return `${remainingReachable} of the ${remaining} remaining managers would be reachable; raft needs ${needed} for quorum, so the swarm would stop taking changes (no scheduling, no updates) until enough managers are back`;
}

/** A node's name as shown. */
export const hostname = (node: SwarmNode) => node.Description?.Hostname ?? node.ID.slice(0, 12);

/** `k=v` adds or changes a label, `-k` removes one; several separated by spaces. A reason (string) when the text is not that. */
export function parseLabels(text: string): { add: Record<string, string>; remove: string[] } | string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'type k=v to add or change a label, -k to remove one';
  const add: Record<string, string> = {};
  const remove: string[] = [];
  for (const word of words) {
    if (/^-[^=\s]+$/.test(word)) remove.push(word.slice(1));
    else if (/^[^-=\s][^=\s]*=/.test(word)) add[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
    else return `"${word}": use k=v to add or change a label, -k to remove one`;
  }
  return { add, remove };
}

/** A secret's or config's name and file, as `NAME PATH`; a reason (string) when it is not. */
export function parseNewObject(text: string): { name: string; path: string } | string {
  const match = /^\s*(\S+)\s+(.+?)\s*$/.exec(text);
  if (!match) return 'type a NAME and the PATH of the file whose contents become its data';
  const [, name, path] = match;
  if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-_.]{0,62}[a-zA-Z0-9])?$/.test(name)) {
    return `"${name}" is not a valid name: up to 64 of a-z A-Z 0-9 - _ . starting and ending with a letter or digit`;
  }
  return { name, path };
}
