/** Thrown when a folder is not a workload package: no package.json, unreadable JSON, or no entry file. */
export class WorkloadPackageError extends Error {
  static override name = 'WorkloadPackageError'

  constructor(message = 'The folder is not a workload package') {
    super(message)
    this.name = 'WorkloadPackageError'
  }
}

/** Thrown when esbuild cannot bundle a workload's entry into one module. */
export class BundleError extends Error {
  static override name = 'BundleError'

  constructor(message = 'The workload could not be bundled') {
    super(message)
    this.name = 'BundleError'
  }
}

/** Thrown when a value does not match one of the workload's JSON Schemas (params, input or output). */
export class SchemaMismatchError extends Error {
  static override name = 'SchemaMismatchError'

  constructor(message = 'A value does not match the workload schema') {
    super(message)
    this.name = 'SchemaMismatchError'
  }
}

/** Thrown when a task's `run` throws or rejects; the message carries the workload's own error. */
export class TaskFailedError extends Error {
  static override name = 'TaskFailedError'
  /** The `name` of the error the workload threw, which does not survive the thread boundary otherwise. */
  readonly causeName: string

  constructor(message = 'The task failed', causeName = 'Error') {
    super(message)
    this.name = 'TaskFailedError'
    this.causeName = causeName
  }
}

/**
 * Thrown when a task's output breaks the rules every peer checks: plain JSON (no `undefined`,
 * `NaN`, `Infinity`, functions or class instances), at most 4 MiB encoded,
 * and accepted by the workload's output schema. A task that breaks them does so on every
 * machine, so contributors publish it as the task's failure.
 */
export class InvalidOutputError extends Error {
  static override name = 'InvalidOutputError'

  constructor(message = "The task's output breaks the output rules") {
    super(message)
    this.name = 'InvalidOutputError'
  }
}

/**
 * Thrown when a workload's `reduce` throws or rejects; the message names the workload and
 * carries its error, since a bare "Cannot read properties of undefined" names neither.
 */
export class ReduceFailedError extends Error {
  static override name = 'ReduceFailedError'
  /** The `name` of the error the workload's reduce threw. */
  readonly causeName: string

  constructor(message = "The workload's reduce failed", causeName = 'Error') {
    super(message)
    this.name = 'ReduceFailedError'
    this.causeName = causeName
  }
}

/** Thrown by `runLocal` with `replicas` when two runs of a task give different outputs. */
export class NondeterministicTaskError extends Error {
  static override name = 'NondeterministicTaskError'

  constructor(message = 'Two runs of a task gave different outputs') {
    super(message)
    this.name = 'NondeterministicTaskError'
  }
}

/** Thrown when a task runs past its deadline and is aborted. */
export class TaskTimeoutError extends Error {
  static override name = 'TaskTimeoutError'

  constructor(message = 'The task did not finish in time') {
    super(message)
    this.name = 'TaskTimeoutError'
  }
}

/** Thrown when a task's worker exceeds its memory limit and is terminated. */
export class TaskOutOfMemoryError extends Error {
  static override name = 'TaskOutOfMemoryError'

  constructor(message = 'The task ran out of memory') {
    super(message)
    this.name = 'TaskOutOfMemoryError'
  }
}

/** Thrown when a task is aborted by its caller (shutdown, drain, a sibling's failure). */
export class TaskAbortedError extends Error {
  static override name = 'TaskAbortedError'

  constructor(message = 'The task was aborted') {
    super(message)
    this.name = 'TaskAbortedError'
  }
}

/** Thrown when an option is out of range. */
export class InvalidOptionError extends Error {
  static override name = 'InvalidOptionError'

  constructor(message = 'An option is invalid') {
    super(message)
    this.name = 'InvalidOptionError'
  }
}
