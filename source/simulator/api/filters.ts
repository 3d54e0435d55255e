import { errors } from '../errors.js';

/** Parsed `filters` query: key -> accepted values. */
export type Filters = Map<string, string[]>;

/**
 * Parses the `filters` query parameter in both shapes dockerd accepts ({"k":{"v":true}} and the
 * legacy {"k":["v"]}), refusing keys the endpoint does not know with dockerd's message.
 */
export function parseFilters(raw: string | null, accepted: readonly string[]): Filters {
  const filters: Filters = new Map();
  if (raw === null || raw === '') return filters;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw errors.badParameter(`invalid filter: ${raw.length > 200 ? `${raw.slice(0, 200)}...` : raw}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.badParameter('invalid filter: filters must be a JSON object');
  }
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    let values: string[];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) values = value as string[];
    else if (value && typeof value === 'object' && !Array.isArray(value)) values = Object.keys(value);
    else throw errors.badParameter(`invalid filter: values of '${key}' must be a list or an object`);
    if (!accepted.includes(key)) throw errors.invalidFilter(key);
    filters.set(key, values);
  }
  return filters;
}

/** True when the filter is absent, or any of its values is a prefix of one of the candidates. */
export function prefixMatch(filters: Filters, key: string, ...candidates: (string | undefined)[]): boolean {
  const values = filters.get(key);
  if (!values || values.length === 0) return true;
  return values.some((v) => candidates.some((c) => c !== undefined && c.startsWith(v)));
}

/** True when the filter is absent, or any of its values equals one of the candidates. */
export function exactMatch(filters: Filters, key: string, ...candidates: (string | undefined)[]): boolean {
  const values = filters.get(key);
  if (!values || values.length === 0) return true;
  return values.some((v) => candidates.includes(v));
}

/** Label filters: `key` (present) or `key=value`; every given label must match. */
export function labelMatch(filters: Filters, key: string, labels: Record<string, string> | undefined): boolean {
  const values = filters.get(key);
  if (!values || values.length === 0) return true;
  return values.every((v) => {
    const eq = v.indexOf('=');
    if (eq < 0) return labels !== undefined && v in labels;
    return labels?.[v.slice(0, eq)] === v.slice(eq + 1);
  });
}
