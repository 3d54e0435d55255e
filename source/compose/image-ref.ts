/**
 * An image reference as the docker client sends it in a service spec: in its familiar form
 * (`docker.io/library/redis` is `redis`), with `:latest` when it names neither a tag nor a digest.
 * A reference that does not parse is sent as written, as the client sends it (dockerd then says why).
 */

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?';
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

/** The reference as sent: familiar, tagged `latest` when untagged; unchanged when it is not a valid reference. */
export function taggedImage(image: string): string {
  if (/^[a-f0-9]{64}$/.test(image)) return image;
  // Where the registry ends, as the client decides it: a first part with a dot or a colon, or localhost.
  const slash = image.indexOf('/');
  let domain = 'docker.io';
  let rest = image;
  if (slash >= 0 && (/[.:]/.test(image.slice(0, slash)) || image.slice(0, slash) === 'localhost')) {
    domain = image.slice(0, slash);
    rest = image.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  const m = REFERENCE.exec(`${domain}/${rest}`);
  if (!m || m[1] === undefined) return image;
  const [, , path, tag, digest] = m;
  if (`${domain}/${path}`.length > 255) return image;
  let name = `${domain}/${path}`;
  if (domain === 'docker.io') {
    name = path.startsWith('library/') && !path.slice(8).includes('/') ? path.slice(8) : path;
  }
  return `${name}${tag !== undefined ? `:${tag}` : digest === undefined ? ':latest' : ''}${digest !== undefined ? `@${digest}` : ''}`;
}
