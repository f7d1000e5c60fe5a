// The one request-body parser of every route. restify's bodyParser inflated gzip with no limit after its
// size check, wrote multipart uploads to disk and accepted forms; every route here speaks JSON only, so
// anything else is refused before a byte is read, and JSON is bounded in size and in depth.
import contentType from 'content-type';
import getRawBody from 'raw-body';
import type * as restify from 'restify';

const MAX_BODY_BYTES = 256 * 1024;
/** Deeper JSON only ever comes from an attacker; left in, it blows the stack of whoever walks it. */
const MAX_JSON_DEPTH = 64;

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tooLarge = (): BodyError =>
  new BodyError(413, 'PayloadTooLarge', `The request body is over ${MAX_BODY_BYTES} bytes.`);

/** Whether the JSON text nests arrays and objects deeper than `limit` (strings are skipped). */
function jsonTooDeep(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

/** Checks the headers before reading: only uncompressed JSON (or no body), and not over the limit. */
function headerProblem(req: restify.Request): BodyError | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    return new BodyError(415, 'UnsupportedEncoding', 'Compressed request bodies are not accepted.');
  }
  const declared = req.headers['content-type'];
  if (declared !== undefined && declared.trim() !== '') {
    const problem = typeProblem(declared);
    if (problem) return problem;
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) return tooLarge();
  return undefined;
}

function typeProblem(declared: string): BodyError | undefined {
  let type: string;
  try {
    type = contentType.parse(declared).type;
  } catch {
    return new BodyError(415, 'UnsupportedMediaType', 'The Content-Type header is malformed.');
  }
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return new BodyError(415, 'UnsupportedMediaType', 'Only application/json request bodies are accepted.');
  }
  return undefined;
}

/**
 * Reads and parses a JSON body whose headers passed; undefined for an empty one. Throws BodyError for
 * what it refuses.
 */
async function readJson(req: restify.Request): Promise<unknown> {
  let text: string;
  try {
    // raw-body stops reading at the limit, whatever Content-Length said (chunked bodies have none).
    text = await getRawBody(req, { limit: MAX_BODY_BYTES, encoding: 'utf-8' });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') throw tooLarge();
    throw new BodyError(400, 'BadRequest', 'The request body could not be read.');
  }
  if (text.trim() === '') return undefined;
  if (jsonTooDeep(text)) {
    throw new BodyError(400, 'BadRequest', `The JSON nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
}

/** Resolves once the rest of the request body has been read and thrown away. */
function discardRest(req: restify.Request): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', resolve);
    req.resume();
  });
}

/**
 * Route middleware: parses JSON into req.body, or answers the refusal in the route family's error
 * format. A refused body is read to its end (and thrown away) before the answer: Node closes a
 * connection whose request is unfinished, and a client still sending then gets a reset instead of the
 * answer. Nothing is kept meanwhile, and Node's request timeout bounds a body that never ends.
 */
export function jsonBodies(
  send: (req: restify.Request, res: restify.Response, error: BodyError) => void,
): restify.RequestHandler {
  return (req, res, next) => {
    if (BODILESS.has(req.method ?? '')) return next();
    const problem = headerProblem(req);
    (problem ? Promise.reject(problem) : readJson(req)).then(
      (body) => {
        req.body = body;
        next();
      },
      async (err: unknown) => {
        const error =
          err instanceof BodyError
            ? err
            : new BodyError(400, 'BadRequest', 'The request body could not be read.');
        await discardRest(req);
        send(req, res, error);
        next(false);
      },
    );
  };
}
