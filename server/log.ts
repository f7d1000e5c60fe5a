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
