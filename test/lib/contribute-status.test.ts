import test from 'ava'
import type { PeerStatus } from '@p2pc/node'
import { formatContributeStatus, redrawBlock } from '../../src/lib/contribute-status.ts'

const JOB = 'bafyreihsy67pc754etbzr427vnkiqvxrhw6auuj3mhclsmd6ywgwkxijjq'

function status(overrides: Partial<PeerStatus> = {}): PeerStatus {
  return {
    peerId: '12D3KooWEj5hRZbLjRLi5g8JvMZPYeETYfXyTJL5ovUj6GeVuHbk',
    addresses: [],
    connections: ['a', 'b', 'c'].map((peer) => ({
      peer,
      address: `/ip4/127.0.0.1/tcp/1/p2p/${peer}`,
      relayed: false,
    })),
    jobs: 2,
    strangerJobs: { kept: 0, bytes: 0, forgotten: 0 },
    running: 1,
    queued: 0,
    held: 1,
    tasks: [],
    done: 5,
    failed: 0,
    credit: 42.06,
    gossip: { sentBytes: 0, receivedBytes: 0, throttled: 0, penalised: 0 },
    ...overrides,
  }
}

test('one summary line, then each running task with its job, how long it has run and its progress', (t) => {
  const tasks = [{ jobId: JOB, task: 5, runningMs: 75_500, progress: 0.5, etaMs: 75_000 }]
  const lines = formatContributeStatus(status({ tasks, done: 17, failed: 1 }), undefined, 0)
  t.deepEqual(lines, [
    'peers 3 · jobs 2 · running 1 · done 17 · failed 1 · credit 42.1 s',
    '  task 5 of job …ywgwkxijjq  1m 15s  50%  eta 1m 15s',
  ])
})

test('an idle peer is one line; many tasks are cut short; the last failure is shown', (t) => {
  t.deepEqual(
    formatContributeStatus(
      status({ connections: [], running: 0, credit: 0, done: 0, failed: 0 }),
      undefined,
      0,
    ),
    ['peers 0 · jobs 2 · running 0 · done 0 · failed 0 · credit 0.0 s'],
  )
  const tasks = Array.from({ length: 10 }, (_, task) => ({ jobId: JOB, task, runningMs: 2_000 }))
  const lines = formatContributeStatus(
    status({ running: 10, tasks, done: 0, failed: 2 }),
    'task 3 of job …x: out of memory',
    0,
  )
  t.is(lines.length, 1 + 8 + 1 + 1)
  t.is(lines[8], '  task 7 of job …ywgwkxijjq  2s')
  t.is(lines[9], '  and 2 more')
  t.is(lines[10], 'last failure: task 3 of job …x: out of memory')
})

test('what holds the work back comes under the summary: a pause until when, a finish, suspended jobs', (t) => {
  const controls = { finishing: false, suspendedJobs: [], abortedJobs: [] }
  const until = Date.UTC(2026, 11, 2, 18, 0)
  t.deepEqual(
    formatContributeStatus(
      status({ running: 0, paused: 'volunteer', controls: { ...controls, pausedUntil: until } }),
      undefined,
      0,
    ).slice(1),
    ['paused until 2026-12-02T18:00:00.000Z'],
  )
  t.deepEqual(
    formatContributeStatus(
      status({
        running: 0,
        paused: 'on-battery',
        controls: { ...controls, finishing: true, suspendedJobs: [JOB] },
      }),
      undefined,
      0,
    ).slice(1),
    [
      `paused (on battery); finishing its tasks, taking no new ones until \`p2pc resume\`; jobs suspended: ${JOB}`,
    ],
  )
  t.is(
    formatContributeStatus(status({ running: 0, controls }), undefined, 0).length,
    1,
    'nothing held: nothing said',
  )
})

test('while draining, a first line says how long the running tasks have left, then that none runs', (t) => {
  const tasks = [{ jobId: JOB, task: 5, runningMs: 2_000 }]
  t.deepEqual(
    formatContributeStatus(status({ running: 1, tasks, done: 3 }), undefined, 2_000, { until: 9_500 }),
    [
      'draining: 1 running task has 8s left to finish; checkpoints are kept',
      'peers 3 · jobs 2 · running 1 · done 3 · failed 0 · credit 42.1 s',
      '  task 5 of job …ywgwkxijjq  2s',
    ],
  )
  t.is(
    formatContributeStatus(status({ running: 2 }), undefined, 2_000, { until: 1_000 })[0],
    'draining: 2 running tasks have 0s left to finish; checkpoints are kept',
  )
  t.is(
    formatContributeStatus(status({ running: 0 }), undefined, 2_000, { until: 9_500 })[0],
    'draining: no task runs any more; giving back the other claims',
  )
})

test('a redraw goes up over the last block, clears it, and cuts lines to the terminal width', (t) => {
  t.is(redrawBlock(0, ['one', 'two'], 80), '\r\u001b[Jone\ntwo\n')
  t.is(redrawBlock(2, ['one'], 80), '\u001b[2A\r\u001b[Jone\n')
  t.is(redrawBlock(0, ['abcdefghij'], 8), '\r\u001b[Jabcdef…\n')
})
