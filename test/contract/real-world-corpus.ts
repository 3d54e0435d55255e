import { join } from 'node:path';

/** The real-world corpus (test/compose/real-world, sources and licences in its SOURCES.md). */
export const realWorld = join(import.meta.dirname, '../compose/real-world');

/** Each real stack file, by its path under the corpus. */
export const REAL_WORLD_FILES = [
  'voting-app/docker-stack.yml',
  'atsea-shop/docker-stack.yml',
  'swarmprom/docker-compose.yml',
  'swarmpit/docker-compose.yml',
  'portainer-agent/docker-stack.yml',
  'dockerswarm-rocks/traefik.yml',
  'dockerswarm-rocks/traefik-host.yml',
  'dockerswarm-rocks/portainer.yml',
  'dockerswarm-rocks/swarmpit.yml',
  'dockerswarm-rocks/swarmprom.yml',
  'docker-elk/docker-stack.yml',
  'prometheus-grafana/docker-stack.yml',
  'prometheus-grafana/docker-traefik-stack.yml',
  'docker-cli-e2e/full-stack.yml',
];

/** The variables the dockerswarm.rocks files require (`${DOMAIN?Variable not set}`), for the CLI and for us alike. */
export const REAL_WORLD_ENV: Record<string, string> = {
  DOMAIN: 'sd.example.test',
  EMAIL: 'ops@example.test',
  USERNAME: 'admin',
  HASHED_PASSWORD: 'apr1-hash',
  ADMIN_USER: 'admin',
};
