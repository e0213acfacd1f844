import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import test from 'ava'
import { FETCH_STREAMS, MAX_SYNC_HAVE, SYNC_STREAMS } from '@p2pc/node'
import { FETCH_PROTOCOL, SYNC_PROTOCOL, cidOf, decode, encode } from '@p2pc/protocol'
import { workloadDir } from '../helpers/paths.ts'
import { jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'
import { dialPatiently, startRogue } from '../helpers/rogue.ts'

test('silent and slowloris streams on fetch and sync are cut off, garbage and oversized frames reset them, and the peer serves on', async (t) => {
  const publisher = await startPeer(t)
  const rogue = await startRogue(t, publisher)
  const ends = await Promise.all([
    rogue.floodStreams(FETCH_PROTOCOL, 2, 'silent'),
    rogue.floodStreams(FETCH_PROTOCOL, 2, 'slowloris'),
    rogue.floodStreams(FETCH_PROTOCOL, 1, 'garbage'),
    rogue.floodStreams(FETCH_PROTOCOL, 1, 'oversized'),
    rogue.floodStreams(SYNC_PROTOCOL, 1, 'silent'),
    rogue.floodStreams(SYNC_PROTOCOL, 1, 'slowloris'),
  ])
  t.deepEqual(ends.flat(), Array(8).fill('reset'))
  for (const attack of ['garbage', 'oversized'] as const) {
    t.deepEqual(await rogue.floodStreams(SYNC_PROTOCOL, 1, attack), ['reset'])
  }

  // Still well: a contributor joins, fetches the bundle, syncs and completes a job.
  const jobId = await publisher.publish(
    workloadDir('primes'),
    { upTo: 100_000, chunk: 50_000 },
    { quorum: 1 },
  )
  await startContributor(t, publisher)
  await jobComplete(publisher, jobId)
  t.deepEqual((await publisher.results(jobId)).aggregate, { count: 9592 })
})

test('one peer gets no more than its share of fetch and sync streams at once, over all its connections', async (t) => {
  const publisher = await startPeer(t)
  const rogue = await startRogue(t, publisher)
  const target = peerIdFromString(publisher.peerId)
  // A second connection: libp2p's own limit (maxInboundStreams) counts streams per connection.
  await dialPatiently(rogue.host, publisher.addresses()[0]!, { force: true })
  await waitFor(publisher, () => rogue.host.getConnections(target).length >= 2, 20_000, 'two connections')

  for (const [protocol, limit, request] of [
    [FETCH_PROTOCOL, FETCH_STREAMS.perPeer, { cid: cidOf(new Uint8Array([1])).toString() }],
    [SYNC_PROTOCOL, SYNC_STREAMS.perPeer, { jobs: true }],
  ] as const) {
    // Twice the limit and more, over both connections, all open at once and silent...
    const connections = rogue.host.getConnections(target)
    const n = 2 * limit + 2
    const opened = await Promise.allSettled(
      Array.from({ length: n }, (_, i) => connections[i % connections.length]!.newStream(protocol)),
    )
    // A stream reset while its protocol is being agreed on never opens.
    const refused = opened.filter((attempt) => attempt.status === 'rejected').length
    const streams = opened.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []))
    const ends = streams.map(
      (stream) =>
        new Promise<string>((resolve) => {
          if (stream.status !== 'open') resolve('reset')
          stream.addEventListener('close', (event) => resolve(event.error === undefined ? 'closed' : 'reset'))
        }),
    )
    // ...then those beyond the peer's share are reset at once, before they ask anything;
    const reset = (): number => refused + streams.filter((stream) => stream.status !== 'open').length
    await waitFor(publisher, () => reset() >= n - limit, 20_000, `${protocol} streams beyond the limit reset`)
    // and those it serves are answered.
    const served = streams.filter((stream) => stream.status === 'open')
    for (const stream of served) {
      const frames = lpStream(stream)
      await frames.write(encode(request))
      t.truthy(decode((await frames.read({ signal: AbortSignal.timeout(20_000) })).subarray()))
      await stream.close()
    }
    t.is(served.length, limit, protocol)
    t.is(refused + (await Promise.all(ends)).filter((end) => end === 'reset').length, n - limit)
  }
})

test('a sync request that lists more ids than one request may is refused, and one within is answered', async (t) => {
  const publisher = await startPeer(t)
  const rogue = await startRogue(t, publisher)
  const target = peerIdFromString(publisher.peerId)
  const jobId = cidOf(new Uint8Array([2])).toString()
  const ask = async (ids: number): Promise<unknown> => {
    const stream = await rogue.host.dialProtocol(target, SYNC_PROTOCOL)
    const frames = lpStream(stream)
    await frames.write(encode({ jobId, have: Array.from({ length: ids }, (_, i) => i.toString(36)) }))
    return decode((await frames.read({ signal: AbortSignal.timeout(20_000) })).subarray())
  }
  t.deepEqual(await ask(MAX_SYNC_HAVE), { done: true })
  await t.throwsAsync(ask(MAX_SYNC_HAVE + 1))
})
