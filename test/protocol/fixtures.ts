// Shared samples for the protocol tests: one valid message of each kind, deterministic keys, raw signing.
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { ENVELOPE_DOMAIN, cidOf, encode, generateKey, outputHashOf, peerIdOf } from '@p2pc/protocol'
import type {
  Claim,
  Ed25519PrivateKey,
  JobAnnounce,
  Message,
  Result,
  ResultBatch,
  Seal,
  TaskBatch,
} from '@p2pc/protocol'

/** A deterministic Ed25519 key: the same `n` always gives the same identity. */
export async function keyFromSeed(n: number): Promise<Ed25519PrivateKey> {
  return generateKey({ seed: new Uint8Array(32).fill(n) })
}

export const BUNDLE_CID = cidOf(new TextEncoder().encode('export default {}')).toString()
export const JOB_ID = cidOf(encode({ job: 'sample' }), 0x71).toString()
export const INPUTS_CID = cidOf(encode([1, 2, 3]), 0x71).toString()
export const OUTPUT = { primes: [2, 3, 5, 7], note: 'ok' }

export function jobAnnounce(publisher: string, overrides: Partial<JobAnnounce> = {}): JobAnnounce {
  return {
    type: 'JobAnnounce',
    v: 1,
    publisher,
    workload: { cid: BUNDLE_CID, name: 'primes', version: '1.0.0' },
    params: { from: 0, to: 1_000_000, label: 'first million' },
    quorum: 2,
    maxReplicas: 5,
    maxErrors: 3,
    leaseMs: 600_000,
    taskCount: 1000,
    batchCount: 10,
    publishedAt: 1_700_000_000_000,
    nonce: '0123456789abcdef',
    ...overrides,
  }
}

export function inlineBatch(): TaskBatch {
  return { type: 'TaskBatch', v: 1, jobId: JOB_ID, batch: 2, first: 200, inputs: [{ n: 200 }, { n: 201 }] }
}

export function cidBatch(): TaskBatch {
  return { type: 'TaskBatch', v: 1, jobId: JOB_ID, batch: 3, first: 300, inputsCid: INPUTS_CID }
}

export function claim(): Claim {
  return { type: 'Claim', v: 1, jobId: JOB_ID, tasks: [4, 9, 1], leaseEnd: 1_700_000_600_000 }
}

export function inlineResult(): Result {
  return {
    type: 'Result',
    v: 1,
    jobId: JOB_ID,
    task: 9,
    outputHash: outputHashOf(OUTPUT),
    output: OUTPUT,
    runtime: 'node-24/x64',
    durationMs: 1234,
  }
}

export function cidResult(): Result {
  const hash = outputHashOf(OUTPUT)
  return {
    type: 'Result',
    v: 1,
    jobId: JOB_ID,
    task: 9,
    outputHash: hash,
    outputCid: hash,
    runtime: 'node-24/arm64',
    durationMs: 0,
  }
}

export function resultBatch(): ResultBatch {
  const hash = outputHashOf(OUTPUT)
  return {
    type: 'ResultBatch',
    v: 1,
    jobId: JOB_ID,
    runtime: 'node-24/x64',
    results: [
      { task: 3, outputHash: hash, output: OUTPUT, durationMs: 12 },
      { task: 4, outputHash: hash, outputCid: hash, durationMs: 0 },
    ],
  }
}

export function seal(): Seal {
  return {
    type: 'Seal',
    v: 1,
    jobId: JOB_ID,
    tasks: [
      { task: 3, outputHash: outputHashOf(OUTPUT) },
      { task: 4, outputHash: outputHashOf(7) },
    ],
  }
}

/** One valid sample of every kind and variant, named for test titles. */
export function samples(publisher: string): Array<[string, Message]> {
  return [
    ['JobAnnounce', jobAnnounce(publisher)],
    ['TaskBatch (inline inputs)', inlineBatch()],
    ['TaskBatch (inputs by CID)', cidBatch()],
    ['Claim', claim()],
    ['Result (inline output)', inlineResult()],
    ['Result (output by CID)', cidResult()],
    ['ResultBatch', resultBatch()],
    ['Seal', seal()],
    ['Cancel', { type: 'Cancel', v: 1, jobId: JOB_ID }],
  ]
}

/** The publisher peer id of `keyFromSeed(1)`, for samples that need a valid publisher without a key at hand. */
export async function publisherId(): Promise<string> {
  return peerIdOf(await keyFromSeed(1))
}

/**
 * Builds envelope bytes by hand, bypassing sealEnvelope's checks, as a hostile
 * peer could: any payload bytes, signed with any key, with or without the domain prefix.
 */
export async function rawEnvelope(
  payload: Uint8Array,
  key: Ed25519PrivateKey,
  options: { domain?: boolean; publicKey?: Uint8Array } = {},
): Promise<Uint8Array> {
  const prefix = options.domain === false ? new Uint8Array() : new TextEncoder().encode(ENVELOPE_DOMAIN)
  const signed = new Uint8Array([...prefix, ...payload])
  const signature = await key.sign(signed)
  return encode({
    payload,
    publicKey: options.publicKey ?? publicKeyToProtobuf(key.publicKey),
    signature: new Uint8Array(signature),
  })
}
