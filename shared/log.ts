// Structured, privacy-preserving logging: callers pass event names and non-identifying fields only.
// Message text, user ids and names must never be passed here.
import type { Config } from '../config';

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  error(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
}

const order = { error: 0, info: 1, debug: 2 } as const;

export function createLogger(level: Config['logLevel'], sink: (line: string) => void = console.log): Logger {
  const emit = (lvl: keyof typeof order, event: string, fields?: LogFields): void => {
    if (order[lvl] > order[level]) return;
    sink(JSON.stringify({ time: new Date().toISOString(), level: lvl, event, ...fields }));
  };
  return {
    error: (event, fields) => emit('error', event, fields),
    info: (event, fields) => emit('info', event, fields),
    debug: (event, fields) => emit('debug', event, fields),
  };
}

/** A logger that drops everything: for tests and the console chat. */
export const silentLogger: Logger = { error() {}, info() {}, debug() {} };

/**
 * What restify gets as its logger (it expects pino). restify's warnings carry the request, with its body
 * and Authorization header, as fields: only its fixed message text is kept, as one JSON line of ours.
 */
export function restifyLogger(log: Logger): unknown {
  const note =
    (emit: Logger['info']) =>
    (...args: unknown[]): void => {
      const message = args.find((a): a is string => typeof a === 'string');
      // Format strings ("Throttle(%s)") would be filled with request data: keep only plain messages.
      emit('http.framework', message && !message.includes('%') ? { message } : undefined);
    };
  const logger = {
    level: 'info',
    // trace() and debug() with no arguments ask "is this level on?"; restify then builds request dumps.
    trace: (): boolean => false,
    debug: (): boolean => false,
    info: note(log.debug),
    warn: note(log.info),
    error: note(log.error),
    fatal: note(log.error),
    child: () => logger,
  };
  return logger;
}
