import { errors } from '../errors.js';
import { WIRE_SCHEMA, type WireType } from './wire-schema.js';

/**
 * Request bodies decoded as dockerd's Go encoding/json decodes them into its structs: a key matches
 * a field exactly or else case-insensitively ({"mode":{"replicated":{"replicas":5}}} is five
 * replicas), keys no field has are dropped, null leaves a field unset, and a value of the wrong
 * JSON type is refused with Go's own sentence. What comes out has the canonical field names only.
 */

/** The Go type names the body roots decode into, for "Go value of type ..." messages. */
const ROOT_GO_TYPES: Record<keyof typeof WIRE_SCHEMA, string> = {
  ServiceSpec: 'swarm.ServiceSpec',
  NodeSpec: 'swarm.NodeSpec',
  SwarmSpec: 'swarm.Spec',
  SecretSpec: 'swarm.SecretSpec',
  ConfigSpec: 'swarm.ConfigSpec',
  NetworkCreateRequest: 'types.NetworkCreateRequest',
  InitRequest: 'swarm.InitRequest',
  JoinRequest: 'swarm.JoinRequest',
  UnlockRequest: 'swarm.UnlockRequest',
};

/** Decodes a parsed JSON body into the named request type; undefined (no body) is an empty object. */
export function decodeBody(root: keyof typeof WIRE_SCHEMA, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw errors.badJson(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${ROOT_GO_TYPES[root]}`);
  }
  return decode(WIRE_SCHEMA[root], value, { struct: '', path: [] }) as Record<string, unknown>;
}

interface Where {
  /** The innermost struct's name, as Go's error names it. */
  struct: string;
  /** The field path from the root. */
  path: string[];
}

function decode(type: WireType, value: unknown, where: Where): unknown {
  if (value === null) return undefined;
  if (typeof type === 'string') return scalar(type, value, where);
  const [kind] = type;
  if (kind === '[]') {
    if (!Array.isArray(value)) throw mismatch(value, type, where);
    return value.map((item) => decode(type[1], item, where)).filter((item) => item !== undefined);
  }
  if (kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(value, type, where);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const decoded = decode(type[1], item, where);
      out[key] = decoded === undefined ? zero(type[1]) : decoded;
    }
    return out;
  }
  const [, name, fields] = type;
  if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(value, type, where);
  const out: Record<string, unknown> = {};
  const names = Object.keys(fields);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[key] !== undefined ? key : names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (field === undefined) continue;
    const decoded = decode(fields[field], item, { struct: name, path: [...where.path, field] });
    if (decoded === undefined) delete out[field];
    else out[field] = decoded;
  }
  return out;
}

function scalar(type: string, value: unknown, where: Where): unknown {
  switch (type) {
    case 'any':
      return value;
    case 'string':
      if (typeof value !== 'string') throw mismatch(value, type, where);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw mismatch(value, type, where);
      return value;
    case 'float64':
      if (typeof value !== 'number') throw mismatch(value, type, where);
      return value;
    default: {
      // int, int64, uint32, uint64: Go refuses fractions and, for unsigned types, negatives, naming the number.
      if (typeof value !== 'number') throw mismatch(value, type, where);
      if (!Number.isInteger(value) || (type.startsWith('uint') && value < 0)) throw mismatch(value, type, where, String(value));
      return value;
    }
  }
}

/** The zero value a map entry of null decodes to. */
function zero(type: WireType): unknown {
  if (typeof type !== 'string') return type[0] === 'struct' ? {} : null;
  return type === 'string' ? '' : type === 'bool' ? false : type === 'any' ? null : 0;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** A Go type's name as its error messages write it. */
function goName(type: WireType): string {
  if (typeof type === 'string') return type === 'any' ? 'interface {}' : type;
  if (type[0] === '[]') return `[]${goName(type[1])}`;
  if (type[0] === 'map') return `map[string]${goName(type[1])}`;
  return `swarm.${type[1]}`;
}

function mismatch(value: unknown, type: WireType, where: Where, number?: string) {
  const what = number !== undefined ? `number ${number}` : jsonKind(value);
  return errors.badJson(`json: cannot unmarshal ${what} into Go struct field ${where.struct}.${where.path.join('.')} of type ${goName(type)}`);
}
