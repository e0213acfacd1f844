// What a contributor does with a task that failed on it. A failure that any machine would meet
// is the task's answer and is published, signed, like an output: that is how a job whose task
// throws ends. A failure of this machine is not a lie and is not published at once.
import { MAX_ERROR_LENGTH } from '@p2pc/protocol'
import {
  InvalidOutputError,
  TaskAbortedError,
  TaskFailedError,
  TaskOutOfMemoryError,
  TaskTimeoutError,
} from '@p2pc/runtime'

/** Runs of a task on this peer that a failure of the machine may cost before it is published. */
export const MACHINE_FAILURE_ATTEMPTS = 2

/**
 * TaskFailedError causes that come from the machine rather than from the workload: a worker
 * or sandbox that died, a task that could not reach the sandbox, a sandbox that answered nonsense.
 */
const MACHINE_CAUSES = new Set(['WorkerError', 'SandboxError', 'DataCloneError', 'MalformedAnswer'])

/**
 * - `publish`: the task's answer is this error (truncated to what a message may carry);
 * - `retry`: run it again on this peer while its claim holds;
 * - `give-up`: hand the claim back and leave the task to others.
 */
export type FailureVerdict = { kind: 'publish'; error: string } | { kind: 'retry' } | { kind: 'give-up' }

/**
 * The verdict on a task's failure after `attempts` runs on this peer.
 *
 * - The workload threw, or its output broke the output rules: the same on every machine, so
 *   it is published at once.
 * - A deadline is the volunteer's own (`--task-timeout`), and an abort is this peer stopping:
 *   neither says anything about the task, so it is given up.
 * - A worker or sandbox that died, or ran out of memory, may be this machine's trouble: the task
 *   runs once more, and is published if it fails that way again.
 */
export function failureVerdict(err: unknown, attempts: number): FailureVerdict {
  if (err instanceof TaskAbortedError || err instanceof TaskTimeoutError) return { kind: 'give-up' }
  if (err instanceof InvalidOutputError) return publish(err.message)
  if (err instanceof TaskFailedError && !MACHINE_CAUSES.has(err.causeName)) return publish(err.message)
  if (err instanceof TaskFailedError || err instanceof TaskOutOfMemoryError) {
    return attempts < MACHINE_FAILURE_ATTEMPTS ? { kind: 'retry' } : publish(err.message)
  }
  return { kind: 'give-up' }
}

function publish(message: string): FailureVerdict {
  // Well-formed, since a lone surrogate would make the message invalid on the wire.
  const error = message.length === 0 ? 'the task failed without a message' : message.toWellFormed()
  return { kind: 'publish', error: [...error].slice(0, MAX_ERROR_LENGTH).join('') }
}
