import test from 'ava'
import { formatElapsed, runningTaskLines } from '../../src/lib/running-tasks.ts'

const JOB = 'bafyreihsy67pc754etbzr427vnkiqvxrhw6auuj3mhclsmd6ywgwkxijjq'

test('each running task with how long it has run, its progress and the time it may still take', (t) => {
  t.deepEqual(
    runningTaskLines([
      { jobId: JOB, task: 5, runningMs: 75_500, progress: 0.406, etaMs: 112_000 },
      { jobId: JOB, task: 6, runningMs: 2_000, progress: 0 },
      { jobId: JOB, task: 7, runningMs: 900 },
    ]),
    [
      '  task 5 of job …ywgwkxijjq  1m 15s  40%  eta 1m 52s',
      '  task 6 of job …ywgwkxijjq  2s  0%',
      '  task 7 of job …ywgwkxijjq  0s',
    ],
  )
})

test('more than eight tasks are summed up in one line', (t) => {
  const tasks = Array.from({ length: 10 }, (_, task) => ({ jobId: JOB, task, runningMs: 0 }))
  const lines = runningTaskLines(tasks)
  t.is(lines.length, 9)
  t.is(lines[7], '  task 7 of job …ywgwkxijjq  0s')
  t.is(lines[8], '  and 2 more')
})

test('durations in seconds, minutes and hours', (t) => {
  t.is(formatElapsed(-5), '0s')
  t.is(formatElapsed(59_999), '59s')
  t.is(formatElapsed(185_000), '3m 5s')
  t.is(formatElapsed(7_620_000), '2h 7m')
})
