// `p2pc trust add` and `remove` take effect on the contributor running on the data dir, at once:
// it runs the jobs of a publisher it trusts from now on, and gives back the tasks of one it no
// longer trusts.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'

test('trust add makes the running contributor take the publisher’s jobs; trust remove stops them', async (t) => {
  const publisher = await startPeer(t)
  const dataDir = await temporaryDir(t)
  const args = contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId)
  // The same contributor, trusting nobody.
  args.splice(args.indexOf('--trust'), 2)
  const worker = await spawnP2pc(t, args)
  const first = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: 3, ms: 200 },
    { quorum: 1, maxReplicas: 1 },
  )
  const added = await p2pc(['trust', 'add', publisher.peerId, '--data-dir', dataDir, '--json'])
  t.is(added.code, 0, added.stderr)
  t.deepEqual(JSON.parse(added.stdout), { trusted: [publisher.peerId], applied: true })
  await jobComplete(publisher, first, 30_000)

  const second = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: 1, ms: 60_000 },
    { quorum: 1, maxReplicas: 1 },
  )
  await worker.waitForLine((event) => event.event === 'task started' && event.jobId === second)
  const removed = await p2pc(['trust', 'remove', publisher.peerId, '--data-dir', dataDir, '--json'])
  t.is(removed.code, 0, removed.stderr)
  t.deepEqual(JSON.parse(removed.stdout), { trusted: [], applied: true })
  const started = Date.now()
  await worker.waitForLine((event) => event.event === 'task failed' && event.jobId === second)
  t.true(Date.now() - started < 20_000, 'the task of the publisher no longer trusted was stopped')
  t.deepEqual(JSON.parse(await readFile(join(dataDir, 'trust.json'), 'utf8')), [])
})
