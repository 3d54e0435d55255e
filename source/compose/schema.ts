/**
 * The types of the compose keys a swarm deploy reads (our own JSON schema of that subset of the
 * compose file format 3.x and the compose spec), checked with Ajv before anything is converted, so
 * that a wrong type is named with its file, line and key rather than found half-way through.
 * Keys outside the subset are left to the loader's "ignoring unsupported options" warning.
 */

const str = { type: 'string' };
const strOrNum = { type: ['string', 'number'] };
const strList = { type: 'array', items: str };
const strOrList = { oneOf: [str, strList] };
const int = { type: 'integer', minimum: 0 };
const duration = str;
const mapOf = (value: object) => ({ type: 'object', additionalProperties: value });
const listOrMap = { oneOf: [strList, mapOf({ type: ['string', 'number', 'boolean', 'null'] })] };

const updateConfig = {
  type: 'object',
  properties: {
    parallelism: int,
    delay: duration,
    failure_action: { enum: ['continue', 'rollback', 'pause'] },
    monitor: duration,
    max_failure_ratio: { type: 'number' },
    order: { enum: ['start-first', 'stop-first'] },
  },
  additionalProperties: false,
};

const resource = {
  type: 'object',
  properties: { cpus: strOrNum, memory: strOrNum, pids: { type: 'integer' }, generic_resources: { type: 'array' }, devices: { type: 'array' } },
  additionalProperties: false,
};

const deploy = {
  type: 'object',
  properties: {
    mode: { enum: ['replicated', 'global'] },
    replicas: int,
    labels: listOrMap,
    endpoint_mode: { enum: ['vip', 'dnsrr'] },
    placement: {
      type: 'object',
      properties: {
        constraints: strList,
        preferences: { type: 'array', items: { type: 'object', properties: { spread: str }, required: ['spread'], additionalProperties: false } },
        max_replicas_per_node: int,
      },
      additionalProperties: false,
    },
    resources: { type: 'object', properties: { limits: resource, reservations: resource }, additionalProperties: false },
    restart_policy: {
      type: 'object',
      properties: { condition: { enum: ['none', 'on-failure', 'any'] }, delay: duration, max_attempts: int, window: duration },
      additionalProperties: false,
    },
    update_config: updateConfig,
    rollback_config: updateConfig,
  },
  additionalProperties: false,
};

const fileRef = {
  oneOf: [
    str,
    {
      type: 'object',
      properties: { source: str, target: str, uid: str, gid: str, mode: { type: 'integer' } },
      required: ['source'],
      additionalProperties: false,
    },
  ],
};

const service = {
  type: 'object',
  properties: {
    image: str,
    command: strOrList,
    entrypoint: strOrList,
    environment: listOrMap,
    env_file: strOrList,
    labels: listOrMap,
    hostname: str,
    user: str,
    working_dir: str,
    stop_grace_period: duration,
    stop_signal: str,
    init: { type: 'boolean' },
    tty: { type: 'boolean' },
    stdin_open: { type: 'boolean' },
    read_only: { type: 'boolean' },
    restart: str,
    extra_hosts: listOrMap,
    dns: strOrList,
    dns_search: strOrList,
    cap_add: strList,
    cap_drop: strList,
    sysctls: listOrMap,
    ulimits: mapOf({
      oneOf: [{ type: 'integer' }, { type: 'object', properties: { soft: { type: 'integer' }, hard: { type: 'integer' } }, required: ['soft', 'hard'] }],
    }),
    logging: { type: 'object', properties: { driver: str, options: mapOf({ type: ['string', 'number', 'null'] }) }, additionalProperties: false },
    ports: {
      type: 'array',
      items: {
        oneOf: [
          strOrNum,
          {
            type: 'object',
            properties: { target: { type: 'integer' }, published: strOrNum, protocol: { enum: ['tcp', 'udp', 'sctp'] }, mode: { enum: ['host', 'ingress'] } },
            required: ['target'],
          },
        ],
      },
    },
    networks: { oneOf: [strList, mapOf({ oneOf: [{ type: 'null' }, { type: 'object', properties: { aliases: strList } }] })] },
    volumes: {
      type: 'array',
      items: {
        oneOf: [
          str,
          {
            type: 'object',
            properties: { type: { enum: ['volume', 'bind', 'tmpfs', 'npipe'] }, source: str, target: str, read_only: { type: 'boolean' } },
            required: ['target'],
          },
        ],
      },
    },
    secrets: { type: 'array', items: fileRef },
    configs: { type: 'array', items: fileRef },
    healthcheck: {
      type: 'object',
      properties: { test: strOrList, interval: duration, timeout: duration, start_period: duration, retries: { type: 'number' }, disable: { type: 'boolean' } },
      additionalProperties: false,
    },
    deploy,
  },
};

const external = { oneOf: [{ type: 'boolean' }, { type: 'object', properties: { name: str } }] };
const fileObject = mapOf({
  oneOf: [{ type: 'null' }, { type: 'object', properties: { file: str, external, name: str, labels: listOrMap, template_driver: str } }],
});

/** The schema of the deployable subset of a compose file. */
export const COMPOSE_SCHEMA = {
  type: 'object',
  properties: {
    version: strOrNum,
    services: mapOf(service),
    networks: mapOf({
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: {
            driver: str,
            driver_opts: mapOf(strOrNum),
            attachable: { type: 'boolean' },
            internal: { type: 'boolean' },
            external,
            name: str,
            labels: listOrMap,
          },
        },
      ],
    }),
    volumes: mapOf({
      oneOf: [{ type: 'null' }, { type: 'object', properties: { driver: str, driver_opts: mapOf(strOrNum), external, name: str, labels: listOrMap } }],
    }),
    secrets: fileObject,
    configs: fileObject,
  },
  patternProperties: { '^x-': {} },
  additionalProperties: false,
} as const;
