import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import { TaskDeadline } from '../../packages/runtime/src/task-deadline.ts'

test('a deadline leaves out the time its clock leaves out', async (t) => {
  // A clock that had 150 ms of pause taken out, as the sandbox's does after a SIGSTOP.
  let pausedMs = 0
  const clock = (): number => performance.now() - pausedMs
  let expiredAt: number | undefined
  const deadline = new TaskDeadline(100, clock, () => (expiredAt = performance.now()))
  const start = performance.now()
  deadline.start()
  pausedMs = 150
  await sleep(400)
  t.not(expiredAt, undefined)
  t.true(expiredAt! - start >= 250, `expired after ${expiredAt! - start} ms, not at 100 ms`)
})

test('a cancelled deadline never expires, and a second start does not restart it', async (t) => {
  let expired = 0
  const deadline = new TaskDeadline(
    30,
    () => performance.now(),
    () => expired++,
  )
  deadline.start()
  deadline.start()
  await sleep(100)
  t.is(expired, 1)
  const cancelled = new TaskDeadline(
    30,
    () => performance.now(),
    () => expired++,
  )
  cancelled.start()
  cancelled.cancel()
  await sleep(100)
  t.is(expired, 1)
})
