import test from 'ava'
import { runningTaskStatus } from '@p2pc/node'

const JOB = 'bafyreihsy67pc754etbzr427vnkiqvxrhw6auuj3mhclsmd6ywgwkxijjq'

test('a task that reported no progress shows how long it has run, and no estimate', (t) => {
  const status = runningTaskStatus({ jobId: JOB, task: 3, startedAt: 1_000, progress: undefined }, 6_000)
  t.deepEqual(status, { jobId: JOB, task: 3, runningMs: 5_000 })
})

test('the estimate goes on at the rate reported so far, less the time since the last report', (t) => {
  // A quarter in 10 s: three quarters more take 30 s, of which 2 s have passed since the report.
  const progress = { fraction: 0.25, at: 11_000 }
  t.deepEqual(runningTaskStatus({ jobId: JOB, task: 0, startedAt: 1_000, progress }, 13_000), {
    jobId: JOB,
    task: 0,
    runningMs: 12_000,
    progress: 0.25,
    etaMs: 28_000,
  })
  // Faster now: three quarters in 6 s leave 2 s.
  const faster = { fraction: 0.75, at: 7_000 }
  t.is(runningTaskStatus({ jobId: JOB, task: 0, startedAt: 1_000, progress: faster }, 7_000).etaMs, 2_000)
})

test('no estimate at zero progress, zero once done, and never below zero when a task is late', (t) => {
  const at = (fraction: number, reportedAt: number, now: number) =>
    runningTaskStatus({ jobId: JOB, task: 0, startedAt: 0, progress: { fraction, at: reportedAt } }, now)
  t.is(at(0, 5_000, 6_000).etaMs, undefined)
  t.is(at(0, 5_000, 6_000).progress, 0)
  t.is(at(1, 5_000, 6_000).etaMs, 0)
  t.is(at(0.5, 5_000, 60_000).etaMs, 0, 'late: the estimate has run out')
})
