import type { ViewKind } from './bindings.js';

/** One view on the command line: `:name` (or an alias), and whether it takes a NAME. */
export interface ViewCommand {
  name: string;
  aliases: string[];
  view: ViewKind;
  description: string;
  /** Takes the name of a service or node (else the selection). */
  target?: 'service' | 'service or node' | 'node' | 'object';
  /** Opens its view on this object whatever is selected (`:swarm`). */
  scope?: 'swarm';
}

/** The command line's views, in help order. The command line, help and README read this table. */
export const VIEW_COMMANDS: readonly ViewCommand[] = [
  { name: 'nodes', aliases: ['no', 'node'], view: 'nodes', description: 'nodes' },
  { name: 'services', aliases: ['svc', 'service'], view: 'services', description: 'services' },
  { name: 'stacks', aliases: ['stack'], view: 'stacks', description: "stacks (services by com.docker.stack.namespace); Enter lists a stack's services" },
  { name: 'tasks', aliases: ['ps'], view: 'tasks', description: 'tasks of a service or node, with history', target: 'service or node' },
  { name: 'logs', aliases: ['log'], view: 'logs', description: 'logs of a service, task or stack; --since 10m|2h|TIME, --tail N', target: 'service' },
  {
    name: 'top',
    aliases: ['hot'],
    view: 'top',
    description: 'the hottest running tasks of every node, by CPU (:top mem: by memory), and how old each figure is; Enter: the task',
  },
  { name: 'map', aliases: [], view: 'map', description: 'cluster map: a column per node, tasks as blocks by service' },
  { name: 'networks', aliases: ['net', 'network'], view: 'networks', description: 'networks' },
  { name: 'configs', aliases: ['config'], view: 'configs', description: 'configs' },
  { name: 'secrets', aliases: ['secret'], view: 'secrets', description: 'secrets (metadata only)' },
  {
    name: 'containers',
    aliases: ['co', 'container'],
    view: 'containers',
    description: "every container of a node's own engine, swarm or not, with state, CPU and MEM",
    target: 'node',
  },
  { name: 'events', aliases: ['ev'], view: 'events', description: 'events, live; of the selection when there is one', target: 'object' },
  { name: 'inspect', aliases: ['describe'], view: 'inspect', description: 'YAML/JSON of the selection (or of NAME, or of the swarm)', target: 'object' },
  { name: 'swarm', aliases: [], view: 'inspect', description: 'the swarm itself: join tokens (masked), raft and CA settings', scope: 'swarm' },
  { name: 'ctx', aliases: ['context', 'contexts'], view: 'contexts', description: 'docker contexts; Enter switches to one' },
  { name: 'actions', aliases: ['history'], view: 'actions', description: 'the action log' },
  { name: 'messages', aliases: ['msg'], view: 'messages', description: "the status line's messages of this session" },
];

/** The command a `:word` names, if any. */
export const viewCommand = (word: string) => VIEW_COMMANDS.find((c) => c.name === word || c.aliases.includes(word));
