// A rogue peer for attacks through a real swarm: a bare libp2p host on loopback that signs with
// as many fresh keys as it likes (they cost nothing) and sends whatever it wants, on gossip and on
// p2pc's stream protocols.
import type { GossipsubMessage } from '@libp2p/gossipsub'
import type { PeerId, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { ExecutionContext } from 'ava'
import { createHost, type Host, type Peer } from '@p2pc/node'
import {
  MARKET_TOPIC,
  cidOf,
  generateKey,
  jobIdOf,
  jobTopic,
  openEnvelope,
  outputHashOf,
  peerIdOf,
  resultsOf,
  sealEnvelope,
  type Ed25519PrivateKey,
  type JobAnnounce,
  type Json,
  type Result,
} from '@p2pc/protocol'
import { FAST_TIMERS, waitFor } from './peers.ts'

/** How a stream of the rogue misbehaves: it sends nothing, a byte a second, junk, or a huge length prefix. */
export type StreamAttack = 'silent' | 'slowloris' | 'garbage' | 'oversized'

/** How a rogue's stream ended: the target reset or closed it, refused to open it, or it was still open. */
export type StreamEnd = 'reset' | 'closed' | 'refused' | 'open'

export interface Rogue {
  host: Host
  /** Fresh identities: free, and as many as wanted. */
  freshKeys(n: number): Promise<Ed25519PrivateKey[]>
  /** Each key sends one ResultBatch answering every task in `tasks` with `output(task, key index)`. */
  answer(
    jobId: string,
    keys: Ed25519PrivateKey[],
    tasks: number[],
    output: (task: number, key: number) => Json,
  ): Promise<void>
  /**
   * Announces `n` junk jobs on the market topic, each from a fresh key, as fast as gossipsub takes
   * them; returns their job ids.
   */
  floodAnnounces(n: number): Promise<string[]>
  /**
   * Opens `n` streams of `protocol` to the target at once, each misbehaving as `attack` says, and
   * resolves with how each ended; one still open after `giveUpMs` counts as `open`.
   */
  floodStreams(protocol: string, n: number, attack: StreamAttack, giveUpMs?: number): Promise<StreamEnd[]>
  /**
   * From now on, signs every answer that others publish on the job's topic again under `key` and
   * sends it at once: a copycat that earns by repeating others' work.
   */
  copyAnswers(jobId: string, key: Ed25519PrivateKey): Copycat
}

/** What a copycat heard (every answer others published, by signer), and how many answers it copied. */
export interface Copycat {
  heard: Map<string, Result[]>
  copies(): number
  stop(): void
}

/** A bare libp2p host on loopback with a fresh identity, speaking none of p2pc's rules; stopped when the test ends. */
export async function hostileHost(t: ExecutionContext): Promise<Host> {
  const host = await createHost({
    privateKey: await generateKey(),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap: [],
    mdns: false,
    heartbeatMs: FAST_TIMERS.heartbeatMs,
  })
  await host.start()
  t.teardown(() => host.stop())
  return host
}

/**
 * Starts a rogue host connected to `target`, subscribed to the market topic and, given a job, to
 * its topic; stopped when the test ends.
 */
export async function startRogue(t: ExecutionContext, target: Peer, jobId?: string): Promise<Rogue> {
  const host = await hostileHost(t)
  const topics = [MARKET_TOPIC, ...(jobId === undefined ? [] : [jobTopic(jobId)])]
  for (const topic of topics) host.services.pubsub.subscribe(topic)
  await dialPatiently(host, target.addresses()[0]!)
  const targetId = peerIdFromString(target.peerId)
  await waitFor(
    target,
    () => topics.every((topic) => host.services.pubsub.getSubscribers(topic).some((p) => p.equals(targetId))),
    20_000,
    'the rogue hears the topics of its target',
  )
  return {
    host,
    freshKeys: (n) => Promise.all(Array.from({ length: n }, () => generateKey())),
    async answer(id, keys, tasks, output) {
      for (const [k, key] of keys.entries()) {
        const results = tasks.map((task) => {
          const value = output(task, k)
          return { task, outputHash: outputHashOf(value), output: value, durationMs: 60_000 }
        })
        const envelope = await sealEnvelope(
          { type: 'ResultBatch', v: 1, jobId: id, runtime: 'node-24/x64', results },
          key,
        )
        await host.services.pubsub.publish(jobTopic(id), envelope.bytes)
      }
    },
    copyAnswers: (id, key) => copyAnswers(host, id, key),
    floodAnnounces: (n) => floodAnnounces(host, n),
    floodStreams: (protocol, n, attack, giveUpMs) =>
      floodStreams(host, targetId, protocol, n, attack, giveUpMs),
  }
}

function copyAnswers(host: Host, jobId: string, key: Ed25519PrivateKey): Copycat {
  const self = peerIdOf(key)
  const heard = new Map<string, Result[]>()
  let copies = 0
  const onMessage = (event: CustomEvent<GossipsubMessage>): void => {
    const { topic, data } = event.detail.msg
    if (topic !== jobTopic(jobId)) return
    void openEnvelope(data)
      .then(async (envelope) => {
        const { message, signer } = envelope
        if (signer === self || (message.type !== 'Result' && message.type !== 'ResultBatch')) return
        heard.set(signer, [...(heard.get(signer) ?? []), ...resultsOf(message)])
        const copy = await sealEnvelope(message, key)
        await host.services.pubsub.publish(topic, copy.bytes)
        copies += resultsOf(message).length
      })
      .catch(() => {})
  }
  host.services.pubsub.addEventListener('gossipsub:message', onMessage)
  return {
    heard,
    copies: () => copies,
    stop: () => host.services.pubsub.removeEventListener('gossipsub:message', onMessage),
  }
}

/**
 * Dials an address, again if the handshake times out: on a loaded machine, libp2p's handshake
 * deadline can pass before the other side answers (EncryptionFailedError, "aborted due to timeout").
 */
export async function dialPatiently(
  host: Host,
  address: string,
  options: { force?: boolean } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await host.dial(multiaddr(address), options)
      return
    } catch (err) {
      if (attempt === 5) throw err
    }
  }
}

/**
 * Announces `n` junk jobs on the market topic of a host, each from a fresh key, as fast as
 * gossipsub takes them or `perSecond` at most; returns their job ids. The host must share the
 * topic with its target.
 */
export async function floodAnnounces(host: Host, n: number, perSecond = Infinity): Promise<string[]> {
  const jobIds: string[] = []
  const begun = performance.now()
  for (let i = 0; i < n; i++) {
    const due = begun + (i / perSecond) * 1000
    if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()))
    const key = await generateKey()
    const announce = junkAnnounce(peerIdOf(key), i)
    jobIds.push(jobIdOf(announce))
    await host.services.pubsub.publish(MARKET_TOPIC, (await sealEnvelope(announce, key)).bytes)
  }
  return jobIds
}

/**
 * Opens `n` streams of `protocol` from a host to `target` at once, each misbehaving as `attack`
 * says, and resolves with how each ended; one still open after `giveUpMs` counts as `open`.
 */
export function floodStreams(
  host: Host,
  target: PeerId,
  protocol: string,
  n: number,
  attack: StreamAttack,
  giveUpMs = 60_000,
): Promise<StreamEnd[]> {
  return Promise.all(Array.from({ length: n }, () => misbehave(host, target, protocol, attack, giveUpMs)))
}

/** A valid announce of a job nobody will ever run: its bundle exists nowhere. */
function junkAnnounce(publisher: string, n: number): JobAnnounce {
  return {
    type: 'JobAnnounce',
    v: 1,
    publisher,
    workload: {
      cid: cidOf(new TextEncoder().encode(`junk ${n}`)).toString(),
      name: 'junk',
      version: '1.0.0',
    },
    params: { padding: 'x'.repeat(200) },
    quorum: 1,
    maxReplicas: 1,
    maxErrors: 1,
    leaseMs: 600_000,
    taskCount: 1_000_000,
    batchCount: 10_000,
    publishedAt: Date.now(),
    nonce: n.toString(16).padStart(16, '0'),
  }
}

let next = 0

async function misbehave(
  host: Host,
  target: PeerId,
  protocol: string,
  attack: StreamAttack,
  giveUpMs: number,
): Promise<StreamEnd> {
  let stream: Stream
  try {
    // Over each of its connections to the target in turn: limits per connection are not per peer.
    const connections = host.getConnections(target)
    const connection = connections[next++ % Math.max(1, connections.length)]
    const signal = AbortSignal.timeout(giveUpMs)
    stream =
      connection === undefined
        ? await host.dialProtocol(target, protocol, { signal })
        : await connection.newStream(protocol, { signal })
  } catch {
    return 'refused'
  }
  const ended = new Promise<StreamEnd>((resolve) =>
    stream.addEventListener('close', (event) => resolve(event.error === undefined ? 'closed' : 'reset'), {
      once: true,
    }),
  )
  let drip: NodeJS.Timeout | undefined
  const send = (bytes: Uint8Array): void => {
    try {
      stream.send(bytes)
    } catch {
      // The target closed it already.
    }
  }
  if (attack === 'slowloris') {
    // A frame of 1000 bytes announced, then sent a byte a second: each byte keeps the stream active.
    send(lengthPrefix(1000))
    drip = setInterval(() => send(new Uint8Array([0x61])), 1000)
  } else if (attack === 'garbage') {
    send(new Uint8Array([0x10, ...new Uint8Array(16).fill(0xff)]))
  } else if (attack === 'oversized') {
    // A length prefix of 1 GiB, then bytes as if the frame followed.
    send(lengthPrefix(1024 ** 3))
    send(new Uint8Array(64 * 1024))
  }
  const giveUp = new Promise<StreamEnd>((resolve) => setTimeout(() => resolve('open'), giveUpMs).unref())
  const end = await Promise.race([ended, giveUp])
  clearInterval(drip)
  if (end === 'open') stream.abort(new Error('the rogue gives up'))
  return end
}

/** The unsigned varint that prefixes a frame of `length` bytes. */
function lengthPrefix(length: number): Uint8Array {
  const bytes: number[] = []
  for (let rest = length; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      bytes.push(rest)
      return new Uint8Array(bytes)
    }
    bytes.push((rest % 128) | 0x80)
  }
}
