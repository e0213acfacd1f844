/** A JSON Schema, as ajv accepts it. Kept loose here so the SDK needs no ajv types. */
export type JsonSchema = Record<string, unknown> | boolean

/**
 * The host API a task reaches from inside its worker thread.
 *
 * Every call crosses a thread boundary, so `progress` and `log` are fire-and-forget and
 * `checkpoint`/`restore` are async.
 */
export interface TaskContext {
  /** Aborted when the task must stop (timeout, drain, shutdown); `run` should check it in long loops. */
  readonly signal: AbortSignal
  /** Report progress as a fraction between 0 and 1. */
  progress(fraction: number): void
  /** A line for the contributor's log. */
  log(message: string): void
  /** Save state from which `restore` can resume this task after an interruption. */
  checkpoint(state: unknown): Promise<void>
  /** The state of the last checkpoint of this task, or undefined when it starts fresh. */
  restore<T = unknown>(): Promise<T | undefined>
}

/** One validated task, handed to `reduce` in task order. */
export interface TaskResult<Input = unknown, Output = unknown> {
  index: number
  input: Input
  output: Output
}

/**
 * A task that failed on the swarm, handed to `reduce` besides the validated ones: its peers
 * failed it the same way, made too many errors, or never agreed.
 */
export interface FailedTask<Input = unknown> {
  index: number
  input: Input
  /** Why it failed, in one sentence. */
  reason: string
}

/**
 * The contract of a workload package: what its entry module default-exports.
 *
 * `run` must be a pure function of its input (seeded randomness only), or redundant
 * contributors will disagree and the task will never validate.
 */
export interface Workload<Params = unknown, Input = unknown, Output = unknown, Aggregate = unknown> {
  /** JSON Schema of the job parameters. */
  params?: JsonSchema
  /** JSON Schema of one task input. */
  input?: JsonSchema
  /** JSON Schema of one task output. */
  output?: JsonSchema
  /** Publisher side: the task inputs of a job. */
  plan(params: Params): Iterable<Input> | AsyncIterable<Input>
  /** Contributor side, inside a worker thread: one task's output. */
  run(input: Input, ctx: TaskContext): Output | Promise<Output>
  /** Optional tolerant comparison of two outputs; the default is equality of canonical bytes. */
  equals?(a: Output, b: Output): boolean
  /**
   * Reader side: the aggregate of the validated outputs, given in task order. A job ends even
   * when tasks fail: `failed` lists them (empty when none did), and `results` leaves them out.
   */
  reduce(
    results: Array<TaskResult<Input, Output>>,
    params: Params,
    failed: Array<FailedTask<Input>>,
  ): Aggregate | Promise<Aggregate>
}
