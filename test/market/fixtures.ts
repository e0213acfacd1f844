// Shared builders for the market tests: messages, envelopes (sealed for real, or plain objects where
// thousands are needed), arrival orders, and a market's observable state for comparisons.
import fc from 'fast-check'
import {
  cidOf,
  cidOfValue,
  failureHashOf,
  generateKey,
  jobIdOf,
  outputHashOf,
  peerIdOf,
  sealEnvelope,
} from '@p2pc/protocol'
import type { Ed25519PrivateKey, JobAnnounce, Json, Message, Result, TaskBatch } from '@p2pc/protocol'
import type { Market, MarketEnvelope } from '@p2pc/market'

/** A deterministic Ed25519 key: the same `n` always gives the same identity. */
export async function keyFromSeed(n: number): Promise<Ed25519PrivateKey> {
  return generateKey({ seed: new Uint8Array(32).fill(n) })
}

/** Fake peer ids for plain envelopes: valid-looking, distinct, and cheap. */
export function peer(n: number): string {
  return `12D3KooWPeer${String(n).padStart(40, '0')}`
}

export const PUBLISHER = peer(999)
export const BUNDLE_CID = cidOf(new TextEncoder().encode('export default {}')).toString()

export function announce(publisher: string, overrides: Partial<JobAnnounce> = {}): JobAnnounce {
  return {
    type: 'JobAnnounce',
    v: 1,
    publisher,
    workload: { cid: BUNDLE_CID, name: 'squares', version: '1.0.0' },
    params: {},
    quorum: 2,
    maxReplicas: 4,
    maxErrors: 2,
    leaseMs: 60_000,
    taskCount: 10,
    batchCount: 1,
    publishedAt: 1_700_000_000_000,
    nonce: '0123456789abcdef',
    ...overrides,
  }
}

/** The inputs of tasks `first … first + count − 1`: `{ n: index }`. */
export function inputsFor(first: number, count: number): Json[] {
  return Array.from({ length: count }, (_, i) => ({ n: first + i }))
}

export function batch(jobId: string, index: number, first: number, inputs: Json[]): TaskBatch {
  return { type: 'TaskBatch', v: 1, jobId, batch: index, first, inputs }
}

export function result(jobId: string, task: number, output: Json, durationMs = 100): Result {
  return {
    type: 'Result',
    v: 1,
    jobId,
    task,
    outputHash: outputHashOf(output),
    output,
    runtime: 'node-24/x64',
    durationMs,
  }
}

/** A result that says the task failed with `error`. */
export function failure(jobId: string, task: number, error: string, durationMs = 100): Result {
  return {
    type: 'Result',
    v: 1,
    jobId,
    task,
    outputHash: failureHashOf(error),
    error,
    runtime: 'node-24/x64',
    durationMs,
  }
}

/** A result that carries its output by CID only. */
export function resultByCid(jobId: string, task: number, output: Json, durationMs = 100): Result {
  const hash = outputHashOf(output)
  return {
    type: 'Result',
    v: 1,
    jobId,
    task,
    outputHash: hash,
    outputCid: hash,
    runtime: 'node-24/x64',
    durationMs,
  }
}

/** A verified-looking envelope without signing: its id is the CID of signer and message, so it is unique. */
export function plain<M extends Message>(signer: string, message: M): MarketEnvelope & { message: M } {
  return { id: cidOfValue({ signer, message }).toString(), signer, message }
}

/** A really sealed envelope, as `openEnvelope` hands it over. */
export async function sealed<M extends Message>(key: Ed25519PrivateKey, message: M) {
  return sealEnvelope(message, key)
}

/** A job published by a plain-envelope publisher, with one batch of inline inputs for all its tasks. */
export function plainJob(overrides: Partial<JobAnnounce> = {}, publisher = PUBLISHER) {
  const message = announce(publisher, overrides)
  const jobId = jobIdOf(message)
  const job = plain(publisher, message)
  const inputs = plain(publisher, batch(jobId, 0, 0, inputsFor(0, message.taskCount)))
  return { announce: message, jobId, job, inputs }
}

export { peerIdOf }

/**
 * An arrival order of `n` envelopes: each at least once, some twice or more,
 * shuffled. Values are indexes into the envelope list.
 */
export function arrivalOrder(n: number): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.tuple(fc.double({ noNaN: true }), fc.nat({ max: Math.max(0, n - 1) })), { maxLength: n }),
    )
    .map(([ranks, extra]) => {
      const entries: Array<[number, number]> = ranks.map((rank, index) => [rank, index])
      if (n > 0) entries.push(...extra)
      return entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, index]) => index)
    })
}

/** Everything a reader can observe about a job, for comparing two markets. */
export function observe(market: Market, jobId: string) {
  const view = market.job(jobId)
  const tasks = []
  for (let index = 0; index < (view?.announce.taskCount ?? 0); index++) {
    const task = market.task(jobId, index, 0)!
    tasks.push({ status: task.status, tally: task.tally })
  }
  return {
    progress: view?.progress,
    status: view?.status,
    outputs: view === undefined ? undefined : market.outputs(jobId),
    signers: market.signers(),
    tasks,
  }
}

/**
 * Gives signers validated work: each answers its own task of a one-replica job, so that their
 * claims hold a full lease (a fresh key's hold only a few tasks, briefly).
 */
export function establish(market: Market, signers: readonly string[], now = 0): void {
  const { jobId, job, inputs } = plainJob({
    taskCount: signers.length,
    quorum: 1,
    maxReplicas: 1,
    nonce: 'e57ab115',
  })
  market.receive(job, now)
  market.receive(inputs, now)
  signers.forEach((signer, task) => market.receive(plain(signer, result(jobId, task, task)), now))
  market.takeActions()
}
