import { errors } from '../errors.js';

/**
 * Finds an object by full id, then exact name, then unique id prefix, as dockerd does: several of
 * the same name or prefix are "ambiguous", none "not found". One rule for records (id) and the
 * plain objects (ID) of networks, secrets and configs.
 */
export function findByRef<T>(kind: string, items: Iterable<T>, ref: string, idOf: (o: T) => string, nameOf: (o: T) => string): T {
  const all = [...items];
  const exact = all.find((o) => idOf(o) === ref);
  if (exact) return exact;
  const byName = all.filter((o) => nameOf(o) === ref);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) throw errors.ambiguous(kind, ref, byName.length);
  const byPrefix = ref === '' ? [] : all.filter((o) => idOf(o).startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0];
  if (byPrefix.length > 1) throw errors.ambiguous(kind, ref, byPrefix.length);
  throw errors.notFound(kind, ref);
}
