import type { FastifyBaseLogger } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
type LogArguments = Parameters<FastifyBaseLogger['info']>;

/**
 * A request's logger (`request.log`) that makes its pino child, with the request id bound, only
 * when something is logged. Fastify makes a child per request; pino serializes its bindings on
 * the spot, which was ~1 % of a single report's CPU, for a logger that nearly every request
 * leaves unused (per-request log lines are off by default; errors and slow answers still log,
 * and get the same child, bindings and level as before).
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildOptions;
  #child: FastifyBaseLogger | null = null;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #made(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.#options?.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  fatal(...args: LogArguments): void {
    this.#made().fatal(...args);
  }

  error(...args: LogArguments): void {
    this.#made().error(...args);
  }

  warn(...args: LogArguments): void {
    this.#made().warn(...args);
  }

  info(...args: LogArguments): void {
    this.#made().info(...args);
  }

  debug(...args: LogArguments): void {
    this.#made().debug(...args);
  }

  trace(...args: LogArguments): void {
    this.#made().trace(...args);
  }

  silent(...args: LogArguments): void {
    this.#made().silent(...args);
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, made on first use (LazyRequestLogger). */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildOptions): FastifyBaseLogger {
  return new LazyRequestLogger(parent, bindings, options);
}
