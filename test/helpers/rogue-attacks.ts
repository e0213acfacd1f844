// Attacks a rogue host keeps up against a job while it runs, each on a timer until stopped: the
// gossip half of the rogue-peer suite (test/node/rogue-peer.test.ts).
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import {
  MARKET_TOPIC,
  MAX_DURATION_MS,
  encode,
  generateKey,
  jobTopic,
  outputHashOf,
  peerIdOf,
  sealEnvelope,
  type Json,
} from '@p2pc/protocol'
import type { PeerId } from '@libp2p/interface'
import { FETCH_PROTOCOL, SYNC_PROTOCOL } from '@p2pc/protocol'
import type { Host } from '@p2pc/node'
import { floodAnnounces, floodStreams, type StreamAttack } from './rogue.ts'

/** An attack on a timer; `stop` ends it and resolves once its last round is over. */
export interface RunningAttack {
  /** Rounds sent so far: a round counts once it started, ended or not. */
  readonly rounds: number
  /** Identities it signed with, as peer ids. */
  readonly signers: readonly string[]
  stop(): Promise<void>
}

/** Runs `round` every `everyMs` until stopped; a round that throws (a closed stream) is ignored. */
function onTimer(everyMs: number, round: () => Promise<void>, signers: string[] = []): RunningAttack {
  let rounds = 0
  let last: Promise<void> = Promise.resolve()
  let stopped = false
  const timer = setInterval(() => {
    if (stopped) return
    rounds++
    last = round().catch(() => {})
  }, everyMs)
  return {
    get rounds() {
      return rounds
    },
    signers,
    async stop() {
      stopped = true
      clearInterval(timer)
      await last
    },
  }
}

/**
 * Junk on both topics, every `everyMs`: bytes that are no envelope, an envelope over the size
 * limit, one with a forged signature, a valid claim on the wrong topic, and truncated CBOR.
 */
export function floodJunk(host: Host, jobId: string, everyMs = 100): RunningAttack {
  const pubsub = host.services.pubsub
  return onTimer(everyMs, async () => {
    const key = await generateKey()
    const leaseEnd = Date.now() + 60_000
    const claim = await sealEnvelope({ type: 'Claim', v: 1, jobId, tasks: [0], leaseEnd }, key)
    const forged = encode({
      payload: encode({ type: 'Claim', v: 1, jobId, tasks: [1], leaseEnd }),
      publicKey: publicKeyToProtobuf(key.publicKey),
      signature: new Uint8Array(64).fill(7),
    })
    const junk: Array<[string, Uint8Array]> = [
      [MARKET_TOPIC, new TextEncoder().encode('not an envelope')],
      [jobTopic(jobId), new Uint8Array(300 * 1024).fill(1)],
      [MARKET_TOPIC, claim.bytes],
      [jobTopic(jobId), forged],
      [jobTopic(jobId), new Uint8Array([0xa1, 0x61, 0x78])],
    ]
    for (const [topic, data] of junk) await pubsub.publish(topic, data).catch(() => {})
  })
}

/** Claims of every task, every `everyMs`, each under two fresh keys, with hour-long leases. */
export function jamClaims(host: Host, jobId: string, taskCount: number, everyMs = 200): RunningAttack {
  const signers: string[] = []
  const tasks = Array.from({ length: Math.min(taskCount, 256) }, (_, i) => i)
  return onTimer(
    everyMs,
    async () => {
      for (let k = 0; k < 2; k++) {
        const key = await generateKey()
        signers.push(peerIdOf(key))
        const claim = { type: 'Claim', v: 1, jobId, tasks, leaseEnd: Date.now() + 3_600_000 } as const
        await host.services.pubsub.publish(jobTopic(jobId), (await sealEnvelope(claim, key)).bytes)
      }
    },
    signers,
  )
}

/**
 * Wrong answers that claim absurd durations: every `everyMs`, a fresh key answers every task with
 * an output of its own (so no two keys agree) and the longest duration the schema allows.
 */
export function lieAboutDurations(
  host: Host,
  jobId: string,
  taskCount: number,
  wrong: (task: number, key: number) => Json,
  everyMs = 1000,
): RunningAttack {
  const signers: string[] = []
  return onTimer(
    everyMs,
    async () => {
      const key = await generateKey()
      const k = signers.push(peerIdOf(key))
      const results = Array.from({ length: Math.min(taskCount, 64) }, (_, task) => {
        const output = wrong(task, k)
        return { task, outputHash: outputHashOf(output), output, durationMs: MAX_DURATION_MS }
      })
      const batch = { type: 'ResultBatch', v: 1, jobId, runtime: 'node-24/x64', results } as const
      await host.services.pubsub.publish(jobTopic(jobId), (await sealEnvelope(batch, key)).bytes)
    },
    signers,
  )
}

/** Junk jobs on the market topic, `perRound` of them every `everyMs`, each from a fresh key. */
export function floodAnnouncesOnTimer(host: Host, perRound = 20, everyMs = 500): RunningAttack {
  return onTimer(everyMs, async () => {
    await floodAnnounces(host, perRound)
  })
}

const STREAM_ATTACKS: StreamAttack[] = ['silent', 'slowloris', 'garbage', 'oversized']

/**
 * Misbehaving streams on fetch and sync, every `everyMs`: each round opens four streams of each
 * protocol to each target, silent, one byte a second, junk, or a huge length prefix in turn.
 */
export function floodStreamsOnTimer(host: Host, targets: PeerId[], everyMs = 1000): RunningAttack {
  let round = 0
  return onTimer(everyMs, async () => {
    const attack = STREAM_ATTACKS[round++ % STREAM_ATTACKS.length]!
    const floods = targets.flatMap((target) =>
      [FETCH_PROTOCOL, SYNC_PROTOCOL].map((protocol) =>
        floodStreams(host, target, protocol, 4, attack, 15_000),
      ),
    )
    await Promise.all(floods)
  })
}
