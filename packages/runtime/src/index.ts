/**
 * @packageDocumentation
 *
 * Runs p2pc tasks: bundles a workload package into one module named by its CID, runs
 * tasks in a Piscina pool whose workers reach the host API (`ctx`) through Comlink, in this
 * process or in a sandbox process under Node's permission model, and drives a whole job on
 * one machine with `runLocal`, the path `p2pc run-local` takes. A pool given a `governor` keeps
 * out of the machine owner's way: a CPU cap, idle-only, pause on battery, lowest priority.
 */

export type { WorkloadPackage } from './workload-package.ts'
export type { WorkloadBundle } from './bundle.ts'
export type { CheckpointStore } from './checkpoints.ts'
export type { RunTaskOptions, TaskPool, TaskPoolInit, TaskRequest } from './task-pool.ts'
export type { SandboxedTaskPoolInit } from './sandbox-pool.ts'
export type { EvaluateCall, EvaluateOptions, WorkloadDescription } from './evaluate.ts'
export type { GovernorInit, IdleOnlyInit, Priority } from './governor-settings.ts'
export type { PauseReason } from './governor.ts'
export type { WorkloadSchemas } from './workload-schemas.ts'
export type { RunLocalOptions, RunLocalProgress, RunLocalResult, WorkloadInfo } from './run-local.ts'
export { readWorkloadPackage } from './workload-package.ts'
export { bundleWorkload } from './bundle.ts'
export { loadWorkload } from './load-workload.ts'
export { memoryCheckpoints } from './checkpoints.ts'
export { createTaskPool } from './task-pool.ts'
export { createSandboxedTaskPool } from './sandbox-pool.ts'
export { sandboxDeniesNetwork } from './sandbox-permissions.ts'
export { compileWorkloadSchemas } from './workload-schemas.ts'
export { runLocal } from './run-local.ts'
export { reduceFailure, reduceHere } from './reduce.ts'
export {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_IDLE_LOAD,
  DEFAULT_TASK_MEMORY_MB,
  DEFAULT_THREADS,
} from './constants.ts'
export {
  BundleError,
  InvalidOptionError,
  InvalidOutputError,
  NondeterministicTaskError,
  ReduceFailedError,
  SchemaMismatchError,
  TaskAbortedError,
  TaskFailedError,
  TaskOutOfMemoryError,
  TaskTimeoutError,
  WorkloadPackageError,
} from './errors.ts'
