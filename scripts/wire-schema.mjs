// Writes source/simulator/api/wire-schema.ts: the Go types dockerd decodes each request body into,
// taken from the Engine API's own swagger (v1.41), so that the simulator decodes bodies as Go's
// encoding/json does (field names matched case-insensitively, unknown fields dropped, wrong types
// refused with Go's words) for every field, not only those it reasons about.
//
//   node scripts/wire-schema.mjs PATH/TO/swagger-v1.41.yaml   (the Engine API's v1.41 swagger)
//
// The output is committed: the swagger is reference material, not a build input.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/wire-schema.mjs PATH/TO/swagger-v1.41.yaml');
  process.exit(2);
}
const swagger = parse(withoutQuotedDescriptions(readFileSync(source, 'utf8')));

/** The swagger's multi-line quoted descriptions are indented less than YAML 1.2 allows; they carry no types, so they go. */
function withoutQuotedDescriptions(text) {
  const out = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    const closes = /[^\\]"\s*$/.test(line);
    if (skipping) {
      if (closes) skipping = false;
      continue;
    }
    const open = /^\s*description: "/.exec(line);
    if (open && !/^\s*description: ".*[^\\]"\s*$/.test(line)) {
      skipping = true;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}
const defs = swagger.definitions;

// Where the swagger's integer formats differ from the Go fields (swarm.ReplicatedService.Replicas is a uint64, ...).
const GO_OVERRIDES = {
  'ServiceSpec.Mode.Replicated.Replicas': 'uint64',
  'ServiceSpec.Mode.ReplicatedJob.MaxConcurrent': 'uint64',
  'ServiceSpec.Mode.ReplicatedJob.TotalCompletions': 'uint64',
  'ServiceSpec.UpdateConfig.Parallelism': 'uint64',
  'ServiceSpec.RollbackConfig.Parallelism': 'uint64',
  'TaskSpec.ForceUpdate': 'uint64',
  'TaskSpec.RestartPolicy.MaxAttempts': 'uint64',
  'TaskSpec.Placement.MaxReplicas': 'uint64',
  'EndpointPortConfig.TargetPort': 'uint32',
  'EndpointPortConfig.PublishedPort': 'uint32',
};

// Where the Go field's JSON name differs from the swagger's (swarm.ContainerSpec.Healthcheck: dockerd stores and returns "Healthcheck").
const GO_FIELD_NAMES = {
  'TaskSpec.ContainerSpec.HealthCheck': 'Healthcheck',
};

// Go's names for structs the swagger defines inline (error messages name the innermost struct).
const STRUCT_NAMES = {
  'ServiceSpec.Mode.Replicated': 'ReplicatedService',
  'ServiceSpec.Mode.Global': 'GlobalService',
  'ServiceSpec.Mode.ReplicatedJob': 'ReplicatedJob',
  'ServiceSpec.Mode.GlobalJob': 'GlobalJob',
  'ServiceSpec.Mode': 'ServiceMode',
  'ServiceSpec.UpdateConfig': 'UpdateConfig',
  'ServiceSpec.RollbackConfig': 'UpdateConfig',
};

function scalar(schema) {
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'integer':
      return schema.format === 'int64' ? 'int64' : schema.format === 'uint64' ? 'uint64' : schema.format === 'uint32' ? 'uint32' : 'int';
    default:
      return undefined;
  }
}

/** One schema as a compact type: a Go scalar name, ['[]', item], ['map', value], or ['struct', name, fields]. */
function convert(schema, path, structName, seen) {
  if (!schema) return 'any';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop();
    if (seen.includes(name)) return 'any';
    return convert(defs[name], name, name, [...seen, name]);
  }
  if (schema.allOf) {
    const fields = {};
    for (const part of schema.allOf) {
      const t = convert(part, path, structName, seen);
      if (Array.isArray(t) && t[0] === 'struct') Object.assign(fields, t[2]);
    }
    return ['struct', structName, fields];
  }
  if (GO_OVERRIDES[path]) return GO_OVERRIDES[path];
  const s = scalar(schema);
  if (s) return s;
  if (schema.type === 'array') return ['[]', convert(schema.items, `${path}[]`, structName, seen)];
  if (schema.type === 'object' || schema.properties || schema.additionalProperties) {
    if (schema.properties) {
      const fields = {};
      for (const [key, value] of Object.entries(schema.properties)) {
        const inlineName = value.$ref ? undefined : value.type === 'object' && value.properties ? (STRUCT_NAMES[`${path}.${key}`] ?? key) : structName;
        fields[GO_FIELD_NAMES[`${path}.${key}`] ?? key] = convert(value, `${path}.${key}`, inlineName ?? structName, seen);
      }
      return ['struct', structName, fields];
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      return ['map', convert(schema.additionalProperties, `${path}{}`, structName, seen)];
    }
    return 'any';
  }
  return 'any';
}

// Fields the Go request structs have that the swagger leaves out (swarm.InitRequest.AutoLockManagers, ...).
const EXTRA_FIELDS = {
  InitRequest: { AutoLockManagers: 'bool', Availability: 'string' },
  JoinRequest: { Availability: 'string' },
};

const bodyOf = (route) => swagger.paths[route].post.parameters.find((p) => p.in === 'body').schema;
const roots = {
  ServiceSpec: convert(defs.ServiceSpec, 'ServiceSpec', 'ServiceSpec', ['ServiceSpec']),
  NodeSpec: convert(defs.NodeSpec, 'NodeSpec', 'NodeSpec', ['NodeSpec']),
  SwarmSpec: convert(defs.SwarmSpec, 'SwarmSpec', 'Spec', ['SwarmSpec']),
  SecretSpec: convert(defs.SecretSpec, 'SecretSpec', 'SecretSpec', ['SecretSpec']),
  ConfigSpec: convert(defs.ConfigSpec, 'ConfigSpec', 'ConfigSpec', ['ConfigSpec']),
  NetworkCreateRequest: convert(bodyOf('/networks/create'), 'NetworkCreateRequest', 'NetworkCreateRequest', []),
  InitRequest: convert(bodyOf('/swarm/init'), 'InitRequest', 'InitRequest', []),
  JoinRequest: convert(bodyOf('/swarm/join'), 'JoinRequest', 'JoinRequest', []),
  UnlockRequest: convert(bodyOf('/swarm/unlock'), 'UnlockRequest', 'UnlockRequest', []),
};

for (const [root, fields] of Object.entries(EXTRA_FIELDS)) Object.assign(roots[root][2], fields);

const out = `// Generated by scripts/wire-schema.mjs from the Engine API swagger (v1.41): do not edit by hand.
/** A Go type as dockerd decodes into it: a scalar's name, a slice, a map, or a struct with its fields. */
export type WireType = string | readonly ['[]', WireType] | readonly ['map', WireType] | readonly ['struct', string, Readonly<Record<string, WireType>>];

/** The request bodies the simulator decodes, by the Go type they decode into. */
export const WIRE_SCHEMA: Record<string, WireType> = ${JSON.stringify(roots)};
`;
const target = new URL('../source/simulator/api/wire-schema.ts', import.meta.url);
writeFileSync(target, out);
console.log(`wrote ${target.pathname} (${out.length} bytes)`);
