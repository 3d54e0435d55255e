import { errors } from '../../errors.js';
import { exactMatch, parseFilters, prefixMatch } from '../filters.js';
import type { Context } from '../http.js';

/** Networks, secrets and configs, served as stored. */

const PLAIN_FILTERS = ['id', 'label', 'name', 'names', 'driver', 'scope', 'type', 'dangling'];

/** A listing, filtered by id and name. */
export function plainList(map: Map<string, { ID: string; [key: string]: unknown }>) {
  return (ctx: Context) => {
    const filters = parseFilters(ctx.query.get('filters'), PLAIN_FILTERS);
    return [...map.values()].filter((o) => {
      const name = String(o.Name ?? (o.Spec as { Name?: string } | undefined)?.Name ?? '');
      return prefixMatch(filters, 'id', o.ID) && (prefixMatch(filters, 'name', name) || false) && exactMatch(filters, 'names', name);
    });
  };
}

/** One object by id, name or unique id prefix. */
export function plainGet(kind: string, map: Map<string, { ID: string; [key: string]: unknown }>) {
  return (ctx: Context) => {
    const ref = ctx.params[0];
    const nameOf = (o: { [key: string]: unknown }) => String(o.Name ?? (o.Spec as { Name?: string } | undefined)?.Name ?? '');
    const found =
      map.get(ref) ??
      [...map.values()].find((o) => nameOf(o) === ref) ??
      (ref ? [...map.values()].filter((o) => o.ID.startsWith(ref)) : []).find((_o, _i, all) => all.length === 1);
    if (!found) throw errors.notFound(kind, ref);
    return found;
  };
}
