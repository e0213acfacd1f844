import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import test from 'ava'
import {
  FETCH_PROTOCOL,
  MARKET_TOPIC,
  SYNC_PROTOCOL,
  encode,
  generateKey,
  jobTopic,
  sealEnvelope,
} from '@p2pc/protocol'
import { workloadDir } from '../helpers/paths.ts'
import { jobComplete, startContributor, startPeer, waitFor } from '../helpers/peers.ts'
import { hostileHost } from '../helpers/rogue.ts'

test('malformed, oversized and forged envelopes on both topics and both protocols are rejected, and the sender is penalised', async (t) => {
  const publisher = await startPeer(t)
  const contributor = await startContributor(t, publisher)
  const jobId = await publisher.publish(
    workloadDir('primes'),
    { upTo: 300_000, chunk: 100_000 },
    { quorum: 1 },
  )
  await jobComplete(publisher, jobId)

  const hostile = await hostileHost(t)
  const pubsub = hostile.services.pubsub
  pubsub.subscribe(MARKET_TOPIC)
  pubsub.subscribe(jobTopic(jobId))
  await hostile.dial(multiaddr(publisher.addresses()[0]!))
  const target = peerIdFromString(publisher.peerId)
  await waitFor(
    publisher,
    () => pubsub.getSubscribers(MARKET_TOPIC).some((p) => p.equals(target)),
    20_000,
    'subscribed',
  )

  // Junk, an oversized blob, a forged signature, and a valid message on the wrong topic.
  const key = await generateKey()
  const claim = await sealEnvelope(
    { type: 'Claim', v: 1, jobId, tasks: [0], leaseEnd: Date.now() + 1000 },
    key,
  )
  const forged = encode({
    payload: encode({ type: 'Claim', v: 1, jobId, tasks: [1], leaseEnd: Date.now() + 1000 }),
    publicKey: publicKeyToProtobuf(key.publicKey),
    signature: new Uint8Array(64).fill(7),
  })
  const attacks: Array<[string, Uint8Array]> = [
    [MARKET_TOPIC, new TextEncoder().encode('not an envelope')],
    [MARKET_TOPIC, new Uint8Array(300 * 1024).fill(1)],
    [MARKET_TOPIC, claim.bytes],
    [jobTopic(jobId), forged],
    [jobTopic(jobId), new Uint8Array([0xa1, 0x61, 0x78])],
  ]
  for (const [topic, data] of attacks) await pubsub.publish(topic, data)

  // The stream protocols: garbage frames, a bad CID, a malformed sync request.
  for (const [protocol, frame] of [
    [FETCH_PROTOCOL, encode({ cid: '../../etc/passwd' })],
    [FETCH_PROTOCOL, new Uint8Array([0xff, 0x00, 0x13])],
    [SYNC_PROTOCOL, encode({ jobId: 7, have: 'everything' })],
  ] as const) {
    const stream = await hostile.dialProtocol(target, protocol)
    const lp = lpStream(stream)
    await lp.write(frame)
    await t.throwsAsync(lp.read({ signal: AbortSignal.timeout(5000) }))
  }

  await waitFor(
    publisher,
    () => publisher.gossipScore(hostile.peerId.toString()) < 0,
    20_000,
    'score below zero',
  )
  t.true(publisher.gossipScore(hostile.peerId.toString()) < 0)
  // Nothing got in, and both peers still work: a new job completes.
  t.is(publisher.jobs().length, 1)
  const next = await publisher.publish(
    workloadDir('primes'),
    { upTo: 200_000, chunk: 100_000 },
    { quorum: 1 },
  )
  await jobComplete(publisher, next)
  t.deepEqual((await publisher.results(next)).aggregate, { count: 17984 })
  t.is(contributor.jobs().length, 2)
})
