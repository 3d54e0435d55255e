import { errors } from '../../errors.js';

/** A since/until parameter: Unix seconds (with a fraction) or an RFC 3339 time, in ms. */
export function parseTime(raw: string | null, name: string, now: number): number | undefined {
  if (raw === null || raw === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed)) throw errors.badParameter(`invalid value for ${name}: ${raw}`);
  return parsed ?? now;
}
