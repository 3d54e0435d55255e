import http from 'node:http';
import https from 'node:https';
import Modem from 'docker-modem';

/** The Engine API version every request names, unless the engine asks for another (see BoundedModem). */
export const API_VERSION = '1.41';

/** How long a request may take and how much it may answer: what a broken or hostile endpoint can cost the console. */
export interface RequestLimits {
  /** A whole answer (or, for a stream, its headers) must arrive within this, ms. */
  timeoutMs: number;
  /** An answer larger than this is refused, bytes (streams: one event line). */
  maxBytes: number;
  /** JSON nested deeper than this is refused (Engine objects are about ten deep; deeper would overflow recursive code). */
  maxDepth: number;
}

/** The limits of every client unless a test gives others: 64 MB holds the task list of a 50,000-task swarm. */
export const DEFAULT_LIMITS: RequestLimits = { timeoutMs: 20_000, maxBytes: 64 * 1024 * 1024, maxDepth: 64 };

/** An answer the console cannot use (too slow, too large, not JSON, too deep): the endpoint answered, but not as an engine does. */
export class BadAnswerError extends Error {
  constructor(
    message: string,
    readonly code: 'ETIMEDOUT' | 'ETOOLARGE' | 'EMALFORMED',
    /** The HTTP status of the answer, when headers had arrived. */
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** How deep JSON text nests (brackets outside strings), stopping as soon as it passes `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Parses an answer's body as JSON within the limits; a body that is not JSON is returned as it came (a Buffer), as dockerode does. */
export function parseAnswer(body: Buffer, contentType: string | undefined, limits: RequestLimits, what: string, status?: number): unknown {
  const text = body.toString('utf8');
  const trimmed = text.trimStart();
  const json = /json/i.test(contentType ?? '') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!json || trimmed === '') return body;
  if (jsonDepth(text, limits.maxDepth) > limits.maxDepth)
    throw new BadAnswerError(`${what}: JSON nested deeper than ${limits.maxDepth} levels`, 'EMALFORMED', status);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadAnswerError(`${what}: malformed JSON (${(error as Error).message})`, 'EMALFORMED', status);
  }
}

type Callback = (error: unknown, data?: unknown) => void;
type DialOptions = Modem.DialOptions & { statusCodes?: Record<number, boolean | string>; isStream?: boolean };

/** What dockerode's error for a refused status looks like (describeError reads statusCode, json and the text after " - "). */
function statusError(status: number, reason: string | boolean | undefined, json: unknown): Error {
  const cause =
    json && typeof json === 'object'
      ? ((json as { message?: string }).message ?? JSON.stringify(json))
      : Buffer.isBuffer(json)
        ? json.toString('utf8')
        : String(json ?? '');
  const error = new Error(`(HTTP code ${status}) ${typeof reason === 'string' ? reason : 'unexpected'} - ${cause} `) as Error & {
    statusCode: number;
    json: unknown;
    reason: unknown;
  };
  error.statusCode = status;
  error.json = json && typeof json === 'object' && !Buffer.isBuffer(json) ? json : null;
  error.reason = reason;
  return error;
}

const VERSION_MESSAGE = /client version \S+ is too (?:new|old)\. (?:Maximum|Minimum) supported API version is (\d+\.\d+)/;

/**
 * dockerode's transport with bounds: every request names the API version (`/v1.41/...`, or the one
 * the engine says it serves when it refuses 1.41), must answer within a deadline, may answer only
 * so much, and an answer that is not the JSON it claims is an error, never a value. Non-stream
 * answers are read here, not by docker-modem, which keeps reading an endless answer for ever.
 */
export class BoundedModem extends Modem {
  private negotiated = false;

  constructor(
    options: Modem.ConstructorOptions,
    readonly limits: RequestLimits = DEFAULT_LIMITS,
  ) {
    super({ ...options, version: `v${API_VERSION}` });
    // docker-modem's dial() hands every request to its buildRequest (private in its types): ours reads the answer instead.
    (this as unknown as { buildRequest: unknown }).buildRequest = this.send.bind(this);
  }

  /** The API version requests name now. */
  get apiVersion(): string {
    return String((this as unknown as { version: string }).version).replace(/^v/, '');
  }

  /** Dials; an engine that refuses our API version is asked again, once, at the version it says it serves. */
  override dial(options: DialOptions, callback: Callback): void {
    // docker-modem changes the options it is given (the path, the auth): a retry needs the originals.
    const copy = { ...options, options: options.options ? { ...options.options } : undefined };
    super.dial(options, (error: unknown, data?: unknown) => {
      const e = error as { statusCode?: number; json?: { message?: string } | null; message?: string };
      const wanted = e?.statusCode === 400 ? VERSION_MESSAGE.exec(e.json?.message ?? e.message ?? '')?.[1] : undefined;
      if (wanted && !this.negotiated && !copy.file) {
        this.negotiated = true;
        (this as unknown as { version: string }).version = `v${wanted}`;
        return super.dial(copy, callback);
      }
      callback(error, data);
    });
  }

  /** Sends one request and reads its answer within the limits (docker-modem's own reader has none). */
  private send(options: http.RequestOptions, context: DialOptions, data: unknown, callback: Callback): void {
    // Exec's hijacked and stdin streams are docker-modem's to handle, with the deadline on the connection only.
    if (context.hijack || context.openStdin) {
      const base = Modem.prototype as unknown as { buildRequest: (...args: unknown[]) => void };
      return base.buildRequest.call(this, options, context, data, callback);
    }
    const { limits } = this;
    const what = `${options.method ?? 'GET'} ${String(options.path ?? '')
      .split('?')[0]
      .replace(/^\/v\d+\.\d+\//, '/')}`;
    let done = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const finish = (error: unknown, result?: unknown) => {
      clearTimeout(timer);
      if (done) return;
      done = true;
      callback(error, result);
    };
    const protocol = (this as unknown as { protocol: string }).protocol;
    let req: http.ClientRequest;
    try {
      req = (protocol === 'https' ? https : http).request(options);
    } catch (error) {
      return finish(error);
    }
    timer = setTimeout(() => {
      const error = new BadAnswerError(`no answer to ${what} within ${Math.round(limits.timeoutMs / 100) / 10}s`, 'ETIMEDOUT');
      req.destroy(error);
      finish(error);
    }, limits.timeoutMs);
    timer.unref?.();
    req.on('error', (error) => finish(error));
    req.on('response', (res) => {
      const statusCodes = context.statusCodes ?? {};
      const ok = statusCodes[res.statusCode ?? 0] === true;
      if (ok && context.isStream) {
        clearTimeout(timer);
        return finish(null, res);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let ended = false;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          const error = new BadAnswerError(`${what}: answer larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB, refused`, 'ETOOLARGE', res.statusCode);
          res.destroy();
          req.destroy();
          return finish(error);
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(new BadAnswerError(`${what}: answer cut short (${error.message})`, 'EMALFORMED', res.statusCode)));
      res.on('close', () => {
        if (!ended) finish(new BadAnswerError(`${what}: answer cut short`, 'EMALFORMED', res.statusCode));
      });
      res.on('end', () => {
        ended = true;
        let body: unknown;
        try {
          body = parseAnswer(Buffer.concat(chunks), res.headers['content-type'], limits, what, res.statusCode);
        } catch (error) {
          return finish(error);
        }
        if (!ok) return finish(statusError(res.statusCode ?? 0, statusCodes[res.statusCode ?? 0], body));
        finish(null, body);
      });
    });
    if (typeof data === 'string' || Buffer.isBuffer(data)) req.end(data);
    else if (data && typeof (data as NodeJS.ReadableStream).pipe === 'function') (data as NodeJS.ReadableStream).pipe(req);
    else req.end();
  }
}
