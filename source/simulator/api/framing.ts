/** Docker's multiplexed stream framing: an 8-byte header (stream, 0, 0, 0, uint32 BE length) per frame. */
export function frame(stream: 1 | 2 | 3, payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** RFC 3339 with nanoseconds, as the daemon prefixes log lines with `timestamps=1`. */
export function logTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

/** The `details` prefix: comma-joined, key-sorted, query-escaped swarm ids, as dockerd writes it. */
export function logDetails(nodeId: string, serviceId: string, taskId: string): string {
  const pairs: [string, string][] = [
    ['com.docker.swarm.node.id', nodeId],
    ['com.docker.swarm.service.id', serviceId],
    ['com.docker.swarm.task.id', taskId],
  ];
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join(',');
}
