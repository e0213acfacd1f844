// A stranger's bundle never runs in a peer's own process: not when the peer will not run the job,
// not when it runs it (tasks in the sandbox), not when it reduces it for `results`, contributing or not.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { FAST_TIMERS, jobComplete, startPeer } from '../helpers/peers.ts'
import { peerProcess } from '../helpers/spawn-peer.ts'

declare global {
  var p2pcImportedBy: string[] | undefined
}

test("no peer imports a stranger's bundle into its own process, whether it runs the job or not", async (t) => {
  const publisherDir = await temporaryDir(t)
  const publisher = await peerProcess(t, {
    dataDir: publisherDir,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    ...FAST_TIMERS,
  })
  const untrustingDir = await temporaryDir(t)
  const untrusting = await startPeer(t, {
    dataDir: untrustingDir,
    bootstrap: publisher.addresses,
    contribute: true,
    threads: 1,
  })
  // A reader that runs nothing: it reduces in a one-thread sandbox of its own.
  const reader = await startPeer(t, { bootstrap: publisher.addresses })
  const trusting = await startPeer(t, {
    bootstrap: publisher.addresses,
    contribute: true,
    threads: 1,
    trust: [publisher.peerId],
  })
  const published = await p2pc([
    'publish',
    fixtureWorkload('imports-loudly'),
    '--quorum',
    '1',
    '--data-dir',
    publisherDir,
    '--json',
  ])
  t.is(published.code, 0, published.stderr)
  const { jobId } = JSON.parse(published.stdout) as { jobId: string }
  await jobComplete(trusting, jobId)
  await jobComplete(untrusting, jobId)
  await jobComplete(reader, jobId)
  const announce = untrusting.jobs().find((job) => job.jobId === jobId)!
  t.is(announce.publisher, publisher.peerId)
  // The peer that does not trust the publisher has not even fetched the bundle.
  const bundles = join(untrustingDir, 'bundles')
  t.deepEqual(existsSync(bundles) ? readdirSync(bundles) : [], [])
  t.is(globalThis.p2pcImportedBy, undefined)

  // Both read the aggregate: the stranger's reduce runs in a sandbox, never here.
  t.is((await trusting.results(jobId)).aggregate, 1 + 4 + 9)
  t.is((await untrusting.results(jobId)).aggregate, 1 + 4 + 9)
  t.is((await reader.results(jobId)).aggregate, 1 + 4 + 9)
  t.is(globalThis.p2pcImportedBy, undefined)
})
