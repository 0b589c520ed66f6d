/**
 * Structured JSON logs on stdout, in the shape Cloud Logging parses: `severity`
 * instead of pino's numeric `level`, `message` instead of `msg`, `time` in RFC 3339.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import { LOG_MESSAGE_KEY } from "../../contract/lifecycle";

export type { Logger } from "pino";

const SEVERITY: Record<string, string> = {
  trace: "DEBUG",
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  error: "ERROR",
  fatal: "CRITICAL",
};

export interface LoggerOptions {
  level: string;
  /** Fields on every line (e.g. region, subscription). */
  base?: Record<string, string>;
  /** Where lines go; stdout by default (tests pass a stream). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: options.base ?? {},
      messageKey: LOG_MESSAGE_KEY,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ severity: SEVERITY[label] ?? "DEFAULT" }),
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** A logger that drops everything (library use without logs, unit tests). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
