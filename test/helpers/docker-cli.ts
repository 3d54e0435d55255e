import { execFile, spawnSync } from 'node:child_process';

/** True when a docker CLI is on PATH; tests that drive it skip (and say so) otherwise. */
export const hasDockerCli = spawnSync('docker', ['--version'], { stdio: 'ignore' }).status === 0;

if (!hasDockerCli) {
  console.warn('SKIP: no docker CLI on PATH; the docker CLI compatibility tests are skipped');
}

/** Runs `docker ARGS` against a DOCKER_HOST; resolves with its output and exit code. */
export function docker(host: string, args: string[], timeout = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'docker',
      args,
      { env: { ...process.env, DOCKER_HOST: host, DOCKER_CONTEXT: '', DOCKER_CLI_HINTS: 'false' }, timeout },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Removes every service whose name starts with `prefix` (a test's own, after it), ignoring those already gone. */
export async function removeServicesNamed(
  docker: { listServices(): Promise<any[]>; getService(id: string): { remove(): Promise<unknown> } } | undefined,
  prefix: string,
): Promise<void> {
  for (const s of (await docker?.listServices().catch(() => [])) ?? []) {
    if (s.Spec?.Name?.startsWith(prefix))
      await docker!
        .getService(s.ID)
        .remove()
        .catch(() => {});
  }
}
