/**
 * The minimal logger the project depends on. pino satisfies it; tests pass a silent or recording logger.
 */
export interface LogFn {
  (msg: string): void;
  (obj: Record<string, unknown>, msg?: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => undefined;

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps every entry in memory; for tests and for `--explain`. */
export function createMemoryLogger(
  entries: LogEntry[] = [],
  bindings: Record<string, unknown> = {},
): Logger & { entries: LogEntry[] } {
  const at = (level: LogEntry['level']): LogFn =>
    ((a: string | Record<string, unknown>, b?: string) => {
      if (typeof a === 'string') entries.push({ level, msg: a, fields: { ...bindings } });
      else entries.push({ level, msg: b ?? '', fields: { ...bindings, ...a } });
    }) as LogFn;
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => createMemoryLogger(entries, { ...bindings, ...more }),
  };
}
