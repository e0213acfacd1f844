import type { ExecutionContext } from 'ava'
import { createPeer, type Peer, type PeerComponents, type PeerInit } from '@p2pc/node'
import { createTaskPool, type TaskPool } from '@p2pc/runtime'
import { temporaryDir } from './paths.ts'

/** Timers short enough for tests on loopback. */
export const FAST_TIMERS = { heartbeatMs: 100, tickMs: 50, syncMs: 1000, reannounceMs: 5000, redialMs: 300 }

/** Starts a real peer on loopback TCP with its own data dir; stopped when the test ends. */
export async function startPeer(
  t: ExecutionContext,
  init: Partial<PeerInit> = {},
  components: PeerComponents = {},
): Promise<Peer> {
  const peer = createPeer(
    {
      dataDir: await temporaryDir(t),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: false,
      ...FAST_TIMERS,
      ...init,
    },
    components,
  )
  await peer.start()
  t.teardown(() => peer.stop())
  return peer
}

/**
 * Resolves once `check` holds, testing it on each of the peer's events: `progress`
 * (envelopes arrived) and `task`. Rejects after `timeoutMs`.
 */
export function waitFor(
  peer: Peer,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<void> {
  return new Promise((resolve, reject) => {
    let busy = false
    const test = async (): Promise<void> => {
      if (busy) return
      busy = true
      try {
        if (await check()) finish()
      } finally {
        busy = false
      }
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`${what} not met within ${timeoutMs} ms`))
    }, timeoutMs)
    // Events can come in bursts while a check is running: look once more now and then.
    const poll = setInterval(() => void test(), 250)
    const onEvent = (): void => void test()
    const cleanup = (): void => {
      clearTimeout(timer)
      clearInterval(poll)
      peer.removeEventListener('progress', onEvent)
      peer.removeEventListener('task', onEvent)
    }
    const finish = (): void => {
      cleanup()
      resolve()
    }
    peer.addEventListener('progress', onEvent)
    peer.addEventListener('task', onEvent)
    void test()
  })
}

/** Resolves once the job is complete on this peer. */
export function jobComplete(peer: Peer, jobId: string, timeoutMs?: number): Promise<void> {
  const complete = (): boolean => peer.jobs().find((job) => job.jobId === jobId)?.status === 'complete'
  return waitFor(peer, complete, timeoutMs, `job complete on ${peer.peerId.slice(-6)}`)
}

/** A real one-thread pool whose outputs then pass through `alter`: a misbehaving contributor's pool. */
export function alteringPool(alter: (output: unknown) => unknown): TaskPool {
  const pool = createTaskPool({ threads: 1 })
  return {
    threads: pool.threads,
    start: () => pool.start(),
    stop: () => pool.stop(),
    run: async (task, options) => alter(await pool.run(task, options)),
    evaluate: (bundle, call, options) => pool.evaluate(bundle, call, options),
  }
}

/** Starts a one-thread contributor that joins `publisher` and trusts it; `init` changes the rest. */
export function startContributor(
  t: ExecutionContext,
  publisher: Peer,
  init: Partial<PeerInit> = {},
): Promise<Peer> {
  return startPeer(t, {
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 1,
    trust: [publisher.peerId],
    ...init,
  })
}
