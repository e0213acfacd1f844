// A rogue peer for attacks through a real swarm: a bare libp2p host on loopback that signs with
// as many fresh keys as it likes (they cost nothing) and sends whatever results it wants.
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { ExecutionContext } from 'ava'
import { createHost, type Host, type Peer } from '@p2pc/node'
import {
  generateKey,
  jobTopic,
  outputHashOf,
  sealEnvelope,
  type Ed25519PrivateKey,
  type Json,
} from '@p2pc/protocol'
import { FAST_TIMERS, waitFor } from './peers.ts'

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

/** Starts a rogue host connected to `target` and subscribed to a job's topic; stopped when the test ends. */
export async function startRogue(t: ExecutionContext, target: Peer, jobId: string): Promise<Rogue> {
  const host = await hostileHost(t)
  const topic = jobTopic(jobId)
  host.services.pubsub.subscribe(topic)
  await host.dial(multiaddr(target.addresses()[0]!))
  const targetId = peerIdFromString(target.peerId)
  await waitFor(
    target,
    () => host.services.pubsub.getSubscribers(topic).some((p) => p.equals(targetId)),
    20_000,
    'the rogue hears the job topic of its target',
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
  }
}
