import test from 'ava'
import { MAX_ERROR_LENGTH } from '@p2pc/protocol'
import {
  InvalidOutputError,
  TaskAbortedError,
  TaskFailedError,
  TaskOutOfMemoryError,
  TaskTimeoutError,
} from '@p2pc/runtime'
import { MACHINE_FAILURE_ATTEMPTS, failureVerdict } from '@p2pc/node'

test("the workload's own error and a broken output are the task's answer at once", (t) => {
  t.deepEqual(failureVerdict(new TaskFailedError('RangeError: no', 'RangeError'), 1), {
    kind: 'publish',
    error: 'RangeError: no',
  })
  t.deepEqual(
    failureVerdict(new InvalidOutputError('the output is not plain JSON: (root) is undefined'), 1),
    {
      kind: 'publish',
      error: 'the output is not plain JSON: (root) is undefined',
    },
  )
})

test("this peer's deadline, an abort and anything outside the pool are given up, never published", (t) => {
  t.is(failureVerdict(new TaskTimeoutError(), 5).kind, 'give-up')
  t.is(failureVerdict(new TaskAbortedError(), 5).kind, 'give-up')
  t.is(failureVerdict(new Error('no connected peer has the blob'), 5).kind, 'give-up')
})

test('a dead worker or sandbox, or memory, is tried again, then published', (t) => {
  for (const err of [
    new TaskFailedError("the task's worker died: boom", 'WorkerError'),
    new TaskFailedError('the sandbox process exited', 'SandboxError'),
    new TaskOutOfMemoryError('the task exceeded its memory limit of 512 MiB'),
  ]) {
    t.is(failureVerdict(err, 1).kind, 'retry', err.message)
    t.deepEqual(failureVerdict(err, MACHINE_FAILURE_ATTEMPTS), { kind: 'publish', error: err.message })
  }
})

test('a published error fits a message: cut to its length, well-formed, never empty', (t) => {
  const long = failureVerdict(new TaskFailedError(`Error: ${'é'.repeat(2 * MAX_ERROR_LENGTH)}`), 1)
  t.is(long.kind === 'publish' ? [...long.error].length : 0, MAX_ERROR_LENGTH)
  const lone = failureVerdict(new TaskFailedError('Error: \ud800'), 1)
  t.deepEqual(lone, { kind: 'publish', error: 'Error: \ufffd' })
  t.deepEqual(failureVerdict(new TaskFailedError(''), 1), {
    kind: 'publish',
    error: 'the task failed without a message',
  })
})
