// Private answers on a real peer (JobAnnounce.answers = 'private'; docs/ARCHITECTURE.md,
// "Copycats"): a contributor boxes each answer for the job's publisher, and the publisher opens
// the boxes of its own jobs for its market, which then seals and opens what it counted.
import { createHash, createHmac } from 'node:crypto'
import type { Market } from '@p2pc/market'
import { answerKeyPair, boxAnswer, encode, openAnswer, resultsOf } from '@p2pc/protocol'
import type {
  AnswerKeyPair,
  Ed25519PrivateKey,
  JobAnnounce,
  Json,
  Message,
  ResultEntry,
  SealedEnvelope,
} from '@p2pc/protocol'

/**
 * Largest output, in bytes of its canonical encoding, that a private answer carries: the box
 * travels inline, and the publisher's seal carries the validating output inline too.
 */
export const PRIVATE_OUTPUT_BYTES = 96 * 1024

/**
 * The answer key pair of a job this peer publishes: derived from its private key and the job's
 * nonce, so that it reads its job's answers again after a restart, and nobody else can.
 */
export function answerKeysOf(key: Ed25519PrivateKey, nonce: string): AnswerKeyPair {
  const secret = createHash('sha256').update('p2pc answer keys\n').update(key.raw).digest()
  return answerKeyPair(createHmac('sha256', secret).update(nonce).digest())
}

/** Whether a job's answers are private: its contributors box them. */
export function answersArePrivate(announce: JobAnnounce | undefined): boolean {
  return announce?.answers === 'private' && announce.answerKey !== undefined
}

/**
 * A contributor's answer to a task of a job with private answers: the commitment as its
 * `outputHash` and the box, with the bytes it adds to a batch. An output too large to box is
 * answered as the failure it is on every machine, so the task ends the same way everywhere.
 */
export function boxedEntry(
  announce: JobAnnounce,
  jobId: string,
  signer: string,
  task: number,
  answer: { output: Json } | { error: string },
  durationMs: number,
): { entry: ResultEntry; bytes: number } {
  let plain = answer
  if ('output' in answer) {
    const size = encode(answer.output).length
    if (size > PRIVATE_OUTPUT_BYTES) {
      plain = {
        error: `the output is ${size} bytes, more than the ${PRIVATE_OUTPUT_BYTES} a job with private answers carries: publish it with public answers`,
      }
    }
  }
  const { outputHash, box } = boxAnswer(announce.answerKey!, { jobId, task, signer }, plain)
  return { entry: { task, outputHash, box, durationMs }, bytes: box.length + outputHash.length }
}

/**
 * The publisher's side: opens the boxed answers to its own jobs as its market hears them, and
 * tells the market which it could not read (a box copied from someone else's answer, or junk).
 */
export class AnswerOpener {
  private readonly key: Ed25519PrivateKey
  private readonly self: string
  private readonly keys = new Map<string, AnswerKeyPair>()

  constructor(key: Ed25519PrivateKey, self: string) {
    this.key = key
    this.self = self
  }

  /** Opens what a verified envelope, just given to the market, boxed for this peer. */
  open(market: Market<SealedEnvelope>, envelope: { signer: string; message: Message }): void {
    const message = envelope.message
    if (message.type !== 'Result' && message.type !== 'ResultBatch') return
    const announce = market.job(message.jobId)?.announce
    if (announce === undefined || announce.publisher !== this.self || !answersArePrivate(announce)) return
    const keys = this.keysOf(message.jobId, announce)
    for (const result of resultsOf(message)) {
      if (result.box === undefined) continue
      const context = { jobId: message.jobId, task: result.task, signer: envelope.signer }
      const opened = openAnswer(keys, context, result.outputHash, result.box)
      if (opened === undefined) market.unreadable(message.jobId, result.task, envelope.signer)
      else market.open(message.jobId, result.task, opened.opening, opened.output)
    }
  }

  private keysOf(jobId: string, announce: JobAnnounce): AnswerKeyPair {
    let keys = this.keys.get(jobId)
    if (keys === undefined) this.keys.set(jobId, (keys = answerKeysOf(this.key, announce.nonce)))
    return keys
  }
}
