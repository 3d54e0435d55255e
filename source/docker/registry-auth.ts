import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RegistryAuth } from './client.js';

/** Registry credentials from the docker CLI's config.json, for `deploy --with-registry-auth`. */

/** The registry an image reference names: its first part when that looks like a host, else Docker Hub. */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** The credentials `docker login` stored for the image's registry; a reason when there are none to send. */
export function registryAuthFor(image: string, configDir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker')): RegistryAuth | { missing: string } {
  const registry = registryOf(image);
  let config: { auths?: Record<string, { auth?: string; identitytoken?: string }>; credsStore?: string; credHelpers?: Record<string, string> };
  try {
    config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
  } catch {
    return { missing: `no ${join(configDir, 'config.json')}: docker login to ${registry} first` };
  }
  const keys = registry === 'docker.io' ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io'] : [registry, `https://${registry}`];
  const entry = keys.map((k) => config.auths?.[k]).find((e) => e && (e.auth || e.identitytoken));
  if (entry?.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: keys[0] };
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: keys[0] };
  }
  const helper = config.credHelpers?.[registry] ?? config.credsStore;
  if (helper) return { missing: `the credentials for ${registry} are in the docker-credential-${helper} helper, which swarmdeck does not run` };
  return { missing: `no credentials for ${registry} in ${join(configDir, 'config.json')}: docker login ${registry === 'docker.io' ? '' : registry}`.trim() };
}
