// `p2pc credit` of a real contributor: its validated credit per day and per job, the same before
// and after a restart, and one sentence for bad input.
import { once } from 'node:events'
import test from 'ava'
import type { CreditReport } from '@p2pc/node'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { parseCsv } from '../helpers/csv.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'

async function credit(dataDir: string, format: '--json' | '--csv' | 'text'): Promise<string> {
  const run = await p2pc(['credit', '--data-dir', dataDir, ...(format === 'text' ? [] : [format])])
  if (run.code !== 0) throw new Error(`credit failed: ${run.stderr}`)
  return run.stdout
}

test("a contributor's credit per day and job is what the publisher validated, and survives a restart", async (t) => {
  t.timeout(120_000)
  const before = new Date().toISOString().slice(0, 10)
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId))
  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: 3, ms: 300 },
    { quorum: 1, maxReplicas: 1 },
  )
  await jobComplete(publisher, jobId, 60_000)
  const validated = (await publisher.results(jobId)).contributors.find((c) => c.peer === worker.peerId)
  const expected = validated?.credit ?? 0
  t.true(expected >= 0.9, `three tasks of 300 ms, ${expected} s`)

  // The contributor's own market validates the same results; ask until it has.
  let live: CreditReport | undefined
  for (let asked = 0; asked < 20 && live?.total !== expected; asked++) {
    live = JSON.parse(await credit(dataDir, '--json')) as CreditReport
  }
  const day = live!.days[0]?.day
  t.true(day === before || day === new Date().toISOString().slice(0, 10), `dated ${day}`)
  const jobs = [{ jobId, name: 'sleeps', credit: expected }]
  t.deepEqual(live, { total: expected, days: [{ day: day!, credit: expected, jobs }], jobs })

  const exited = once(worker.child, 'exit')
  worker.child.kill('SIGINT')
  await exited
  t.deepEqual(JSON.parse(await credit(dataDir, '--json')), live, 'read again by a peer of its own')
  t.deepEqual(parseCsv(await credit(dataDir, '--csv')), [
    ['day', 'jobId', 'name', 'credit'],
    [day!, jobId, 'sleeps', String(expected)],
  ])
  const text = await credit(dataDir, 'text')
  t.regex(text, new RegExp(`^credit: ${expected.toFixed(1)} s over 1 day and 1 job$`, 'm'))
  t.regex(text, new RegExp(`^  ${day}  +${expected.toFixed(1)} s$`, 'm'))
  t.regex(text, new RegExp(`^  sleeps …${jobId.slice(-10)}  +${expected.toFixed(1)} s$`, 'm'))
})

test('credit of a new peer is zero, in one line', async (t) => {
  t.is(await credit(await temporaryDir(t), 'text'), 'credit: 0.0 s (no validated work yet)\n')
})

test('credit with bad input: one sentence, a non-zero exit', async (t) => {
  const dataDir = await temporaryDir(t)
  const both = await p2pc(['credit', '--csv', '--json', '--data-dir', dataDir])
  t.is(both.code, 1)
  t.deepEqual(JSON.parse(both.stdout), {
    error: { name: 'UsageError', message: '--csv and --json cannot be used together: pick one' },
  })
  const cases: Array<[string[], RegExp]> = [
    [['yesterday'], /^p2pc: Unexpected argument: yesterday\n$/],
    [['--days', '3'], /^p2pc: Nonexistent flag: --days\n$/],
  ]
  for (const [args, expected] of cases) {
    const run = await p2pc(['credit', '--data-dir', dataDir, ...args])
    t.not(run.code, 0)
    t.is(run.stdout, '')
    t.regex(run.stderr, expected)
  }
})
