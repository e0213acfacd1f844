import test from 'ava'
import { CLAIM, Network, Presence, RESULT, SimMessage } from '@p2pc/sim'
import type { NetworkInit } from '@p2pc/sim'

const PEERS = 200

function message(id: number, kind: number, sender = 0, sentAt = 1000): SimMessage {
  return new SimMessage(id, kind, sender, sentAt, NaN, 0, { id: `m${id}`, signer: 'x', message: {} as never })
}

function network(overrides: Partial<NetworkInit> = {}): Network {
  return new Network({
    seed: 1,
    latencyMs: 100,
    loss: 0,
    heartbeatMs: 1000,
    syncMs: 15_000,
    partitions: [],
    presence: new Presence(PEERS),
    ...overrides,
  })
}

test('latency: drawn per peer and message, from half to five times the mean; the sender sees at once', (t) => {
  const net = network()
  const result = message(1, RESULT)
  t.is(net.visibleAt(0, result), 1000)
  const delays = Array.from({ length: PEERS - 1 }, (_, i) => net.visibleAt(i + 1, result) - 1000)
  t.true(delays.every((d) => d >= 50 && d <= 500))
  const mean = delays.reduce((a, b) => a + b, 0) / delays.length
  t.true(mean > 80 && mean < 120, `mean ${mean}`)
  t.is(net.visibleAt(7, result), network().visibleAt(7, result))
  t.true(new Set(delays).size > PEERS / 2)
})

test('messages overtake each other: a later message is seen first by some peers', (t) => {
  const net = network()
  const first = message(1, RESULT, 0, 1000)
  const second = message(2, RESULT, 0, 1010)
  let overtaken = 0
  for (let peer = 1; peer < PEERS; peer++)
    if (net.visibleAt(peer, second) < net.visibleAt(peer, first)) overtaken++
  t.true(overtaken > 0)
})

test('loss: results always arrive, some late; claims missed twice are gone for good', (t) => {
  const net = network({ loss: 0.3 })
  const lossless = network()
  let late = 0
  let lostClaims = 0
  for (let id = 0; id < 50; id++) {
    const result = message(id, RESULT)
    const claim = message(1000 + id, CLAIM)
    for (let peer = 1; peer < PEERS; peer++) {
      const seen = net.visibleAt(peer, result)
      t.true(seen < Infinity)
      t.true(seen <= net.latestVisibleAt(result))
      if (seen > lossless.visibleAt(peer, result) + 400) late++
      if (net.visibleAt(peer, claim) === Infinity) lostClaims++
    }
  }
  const attempts = 50 * (PEERS - 1)
  t.true(late > attempts * 0.2 && late < attempts * 0.4, `late ${late}`)
  // Lost twice: about loss² of them.
  t.true(lostClaims > attempts * 0.05 && lostClaims < attempts * 0.14, `lost ${lostClaims}`)
})

test('partitions: results cross once healed, claims never; peers of one group are not cut off', (t) => {
  const partition = { startMs: 500, endMs: 20_000, groups: 2 }
  const net = network({ partitions: [partition] })
  const result = message(1, RESULT, 0, 1000)
  const claim = message(2, CLAIM, 0, 1000)
  let across = 0
  let within = 0
  for (let peer = 1; peer < PEERS; peer++) {
    if (net.groupOf(peer, 0) === net.groupOf(0, 0)) {
      within++
      t.true(net.visibleAt(peer, result) < 2000)
      t.true(net.visibleAt(peer, claim) < 2000)
    } else {
      across++
      t.true(net.visibleAt(peer, result) >= partition.endMs)
      t.true(net.visibleAt(peer, result) <= net.latestVisibleAt(result))
      t.is(net.visibleAt(peer, claim), Infinity)
    }
  }
  t.true(across > 0 && within > 0)
})

test('a claim that arrives while its peer is offline is lost', (t) => {
  const presence = new Presence(PEERS)
  presence.leaveAt[5] = 500
  presence.backAt[5] = 5000
  const net = network({ presence })
  t.is(net.visibleAt(5, message(1, CLAIM, 0, 1000)), Infinity)
  t.true(net.visibleAt(5, message(2, CLAIM, 0, 6000)) < Infinity)
  t.true(net.visibleAt(6, message(1, CLAIM, 0, 1000)) < Infinity)
})
