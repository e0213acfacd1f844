// Draining a contributor: the task it runs finishes, the tasks it holds but has not started go
// back to the swarm at once rather than when their (here ten-minute) leases run out.
import test from 'ava'
import type { PeerEvents } from '@p2pc/node'
import { fixtureWorkload } from '../helpers/paths.ts'
import { jobComplete, startPeer, waitFor } from '../helpers/peers.ts'

const TASK_MS = 600
const TASKS = 6

test('a drained contributor finishes its running task and gives back the ones it had not started', async (t) => {
  const publisher = await startPeer(t)
  const trust = [publisher.peerId]
  const first = await startPeer(t, { bootstrap: publisher.addresses(), contribute: true, threads: 1, trust })
  const events: Array<PeerEvents['task']> = []
  first.addEventListener('task', (event) => events.push((event as CustomEvent<PeerEvents['task']>).detail))

  const jobId = await publisher.publish(
    fixtureWorkload('sleeps'),
    { tasks: TASKS, ms: TASK_MS },
    { quorum: 1, maxReplicas: 1, leaseMs: 10 * 60_000 },
  )
  await waitFor(first, () => events.some((e) => e.state === 'started'), 30_000, 'a task started')
  t.like(first.status(), { running: 1 }, 'one thread runs one task')
  t.true(first.status().queued >= 1, 'it holds more tasks than it runs')

  await first.drain(30_000)
  const done = events.filter((e) => e.state === 'done').map((e) => e.task)
  t.true(done.length >= 1, 'the task that was running finished')
  t.is(first.status().running, 0)
  const startedAfterDrain = events.filter((e) => e.state === 'started').length
  t.true(startedAfterDrain <= done.length + 1, 'no queued task was started while draining')

  // Only the returned claims let a newcomer finish the job long before the leases would end.
  const second = await startPeer(t, { bootstrap: publisher.addresses(), contribute: true, threads: 2, trust })
  await jobComplete(publisher, jobId, 60_000)
  const results = await publisher.results(jobId)
  t.is(results.aggregate, TASKS)
  const byPeer = new Map(results.contributors.map((c) => [c.peer, c.validated]))
  t.is(byPeer.get(first.peerId), done.length)
  t.is(byPeer.get(second.peerId), TASKS - done.length)
})
