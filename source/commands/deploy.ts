import { createInterface } from 'node:readline/promises';
import { convertStack } from '../compose/convert.js';
import { ComposeError, loadCompose } from '../compose/load.js';
import { stackProblems } from '../compose/checks.js';
import { applyPlan, ApplyFailed, ApplyInterrupted, doneText, PlanConflict, planStack, planText } from '../compose/plan.js';
import { SwarmClient } from '../docker/client.js';
import { ConfigError, resolveEndpoints } from '../docker/connection.js';
import { registryAuthFor } from '../docker/registry-auth.js';
import type { SwarmService } from '../docker/types.js';
import { ActionLog } from '../store/action-log.js';
import { maskChangeValue } from '../ui/present/diff.js';
import { inert } from '../ui/sanitize.js';

/** Flags of `swarmdeck deploy`. */
export interface DeployFlags {
  host?: string[];
  context?: string;
  tlsverify?: boolean;
  tlscacert?: string;
  tlscert?: string;
  tlskey?: string;
  composeFile?: string[];
  dryRun?: boolean;
  prune?: boolean;
  yes?: boolean;
  detach?: boolean;
  readOnly?: boolean;
  withRegistryAuth?: boolean;
  resolveImage?: string;
}

/** How long a deploy waits for its services to converge before it says they did not. */
const FOLLOW_TIMEOUT = 10 * 60_000;

/**
 * `swarmdeck deploy -c FILE STACK`: the plan first (create, update with the changed fields,
 * unchanged, remove with --prune), then, once confirmed, exactly that plan applied, and every
 * service of the stack followed until it converges. Exit 0 when all converged, 1 when an update
 * paused or rolled back or tasks do not come up, 2 for bad input (nothing is created).
 */
export async function runDeploy(flags: DeployFlags, stack: string | undefined, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  // Names and values from the file and the swarm reach the terminal inert, as in the console.
  const say = (line: string) => out.write(`${inert(line)}\n`);
  const fail = (message: string, code = 2) => {
    process.stderr.write(`swarmdeck deploy: ${inert(message)}\n`);
    return code;
  };
  if (!stack) return fail('give the stack name: swarmdeck deploy -c docker-compose.yml STACK');
  const resolveImage = (flags.resolveImage ?? 'always') as 'always' | 'changed' | 'never';
  if (!['always', 'changed', 'never'].includes(resolveImage)) return fail(`--resolve-image must be always, changed or never, not "${flags.resolveImage}"`);
  let client: SwarmClient;
  let input;
  try {
    input = loadCompose(flags.composeFile ?? []);
    for (const warning of input.warnings) process.stderr.write(`${inert(warning)}\n`);
    const converted = convertStack(input, stack);
    // The whole stack is checked before anything is sent: what the Engine would refuse is said now, all of it.
    const problems = stackProblems(converted);
    if (problems.length > 0) return fail(`the Engine would refuse this stack, so nothing was sent:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    const tls = { verify: flags.tlsverify, ca: flags.tlscacert, cert: flags.tlscert, key: flags.tlskey };
    client = new SwarmClient(resolveEndpoints({ hosts: flags.host, context: flags.context, tls })[0]);
    await client.checkManager();
    const files = (flags.composeFile ?? []).map((f) => `-c ${f}`).join(' ');
    const warn = (line: string) => process.stderr.write(`${inert(line)}\n`);
    const auth = (image: string) => {
      if (!flags.withRegistryAuth) return undefined;
      const found = registryAuthFor(image);
      if ('missing' in found) {
        warn(`--with-registry-auth: ${found.missing}; ${image} is sent without credentials`);
        return undefined;
      }
      return found;
    };
    // A service that changes between the plan and its update is planned again (and asked again), never forced.
    for (let round = 0; ; round++) {
      const plan = await planStack(client, stack, converted, Boolean(flags.prune));
      // Secret-looking values in the changes are masked, as everywhere a spec is shown.
      for (const line of planText(plan, (path, value) => maskChangeValue(path, value))) say(line);
      const work = plan.entries.filter((e) => e.action === 'create' || e.action === 'update' || e.action === 'remove');
      if (flags.dryRun) return 0;
      if (work.length === 0) {
        say(`stack ${stack} is up to date: nothing was sent`);
        return 0;
      }
      const record = (result: string) =>
        new ActionLog().append({
          time: new Date().toISOString(),
          endpoint: client.endpoint.label,
          target: `stack ${stack}`,
          action: `deploy stack ${stack} (${work.length} change${work.length === 1 ? '' : 's'})`,
          result,
          command: `docker stack deploy ${files} ${stack}`,
        });
      if (flags.readOnly) {
        record('refused: read-only mode');
        return fail('read-only mode: this would change the swarm, so nothing was sent');
      }
      if (!flags.yes) {
        if (!process.stdin.isTTY) return fail('not a terminal to ask on: give -y to apply the plan above');
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question('Apply this plan? [y/N] ');
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          say('nothing was sent');
          return 0;
        }
      }
      // SIGINT or SIGTERM while applying: the step under way finishes, nothing after it is sent, and how far it got is said and logged.
      const stop = new AbortController();
      let signalled: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        signalled = signal;
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await applyPlan(client, plan, say, { resolveImage, auth, warn, signal: stop.signal });
        record('done');
        break;
      } catch (error) {
        if (error instanceof ApplyInterrupted) {
          say(`${error.message} (${signalled}); ${doneText(error.progress)}; running the same deploy again continues from there`);
          record(`${error.message} (${signalled}); ${doneText(error.progress)}`);
          return signalled === 'SIGTERM' ? 143 : 130;
        }
        if (error instanceof ApplyFailed) {
          record(`failed: ${error.message}`);
          return fail(error.message, 1);
        }
        record(`failed: ${(error as Error).message}`);
        if (!(error instanceof PlanConflict) || round >= 2) throw error;
        say(`${error.service} changed since the plan was made; nothing was forced over it. The plan again:`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }
  } catch (error) {
    if (error instanceof ComposeError || error instanceof ConfigError) return fail(error.message);
    return fail((error as Error).message, 1);
  }
  if (flags.detach) return 0;
  return follow(client, stack, say);
}

/**
 * Whether a service runs what it wants: a replicated one its replicas, a global one a task on every
 * eligible node (a global service running none is not converged), and no update under way.
 */
export function serviceConverged(s: SwarmService): boolean {
  const state = s.UpdateStatus?.State;
  const running = s.ServiceStatus?.RunningTasks ?? 0;
  const desired = s.ServiceStatus?.DesiredTasks ?? 0;
  const settled = state !== 'updating' && state !== 'rollback_started';
  return settled && running === desired && (!s.Spec.Mode?.Global || desired > 0);
}

/** Follows the stack's services until each runs what it wants, or an update pauses or rolls back. */
async function follow(client: SwarmClient, stack: string, say: (line: string) => void): Promise<number> {
  const until = Date.now() + FOLLOW_TIMEOUT;
  let last = '';
  for (;;) {
    const services = (await client.listServices()).filter((s) => s.Spec.Labels?.['com.docker.stack.namespace'] === stack) as SwarmService[];
    const states = services.map((s) => {
      const state = s.UpdateStatus?.State;
      const running = s.ServiceStatus?.RunningTasks ?? 0;
      const desired = s.ServiceStatus?.DesiredTasks ?? 0;
      return { name: s.Spec.Name, running, desired, state, done: serviceConverged(s) };
    });
    const line = states.map((s) => `${s.name} ${s.running}/${s.desired}${s.state ? ` ${s.state}` : ''}`).join('  ');
    if (line !== last) say(line);
    last = line;
    const stuck = states.find((s) => s.state === 'paused' || s.state === 'rollback_paused' || s.state === 'rollback_completed');
    if (stuck) {
      say(`${stuck.name}: the update ${stuck.state === 'rollback_completed' ? 'was rolled back' : 'paused'} (swarmdeck shows why: :tasks ${stuck.name})`);
      return 1;
    }
    if (states.every((s) => s.done)) {
      say(`stack ${stack}: every service converged`);
      return 0;
    }
    if (Date.now() > until) {
      say(`stack ${stack}: not converged after ${FOLLOW_TIMEOUT / 60_000} minutes`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
