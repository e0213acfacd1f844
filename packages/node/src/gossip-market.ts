import {
  TopicValidatorResult,
  type GossipSub,
  type GossipsubMessage,
  type Message as GossipMessage,
} from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { JOB_TOPIC_PREFIX, MARKET_TOPIC, jobTopic, openEnvelope, type SealedEnvelope } from '@p2pc/protocol'
import { GOSSIP_RATE_LIMITS } from './constants.ts'
import { topicScoreParams } from './host.ts'
import { PeerRateLimit, type RateLimit } from './rate-limit.ts'

/** The kinds of message that are rate-limited apart. */
export type GossipKind = keyof typeof GOSSIP_RATE_LIMITS

/** The score parameters of every job topic, one object for them all. */
const JOB_TOPIC_SCORE_PARAMS = topicScoreParams()

/** Options of {@link GossipMarket}. */
export interface GossipMarketInit {
  pubsub: GossipSub
  /** Largest envelope accepted. */
  maxBytes: number
  /** An envelope that passed every check, with the peer it came from. */
  onEnvelope(envelope: SealedEnvelope, from: PeerId): void
  /** Messages one peer may pass on, by kind. @default GOSSIP_RATE_LIMITS */
  rateLimits?: Partial<Record<GossipKind, RateLimit>>
  /** The clock of the rate limits. @default Date.now */
  now?: () => number
}

/**
 * The market's gossip: JobAnnounce and TaskBatch on the market topic, Claim and Result on
 * one topic per job. Every message is validated before gossipsub relays it: size, envelope,
 * signature, schema, and the right kind for the topic. What fails is rejected, and gossipsub's
 * peer score makes its sender pay for it.
 */
export class GossipMarket {
  private readonly pubsub: GossipSub
  private readonly maxBytes: number
  private readonly onEnvelope: GossipMarketInit['onEnvelope']
  private readonly opened = new WeakMap<GossipMessage, SealedEnvelope>()
  private readonly jobs = new Set<string>()
  /**
   * Envelope bytes this peer published, and accepted from others, since it started; and messages
   * dropped because the peer that passed them on sent too many (`throttled`), of which those past
   * the tolerance cost it score (`penalised`).
   */
  readonly traffic = { sentBytes: 0, receivedBytes: 0, throttled: 0, penalised: 0 }
  private readonly limits: Record<GossipKind, PeerRateLimit>
  private readonly onMessage = (event: CustomEvent<GossipsubMessage>): void => this.deliver(event.detail)

  constructor(init: GossipMarketInit) {
    this.pubsub = init.pubsub
    this.maxBytes = init.maxBytes
    this.onEnvelope = init.onEnvelope
    const now = init.now ?? Date.now
    const limit = (kind: GossipKind): PeerRateLimit =>
      new PeerRateLimit(init.rateLimits?.[kind] ?? GOSSIP_RATE_LIMITS[kind], now)
    this.limits = {
      announce: limit('announce'),
      batch: limit('batch'),
      claim: limit('claim'),
      result: limit('result'),
    }
  }

  start(): void {
    this.pubsub.addEventListener('gossipsub:message', this.onMessage)
    this.follow(MARKET_TOPIC)
  }

  stop(): void {
    this.pubsub.removeEventListener('gossipsub:message', this.onMessage)
    for (const topic of [MARKET_TOPIC, ...[...this.jobs].map(jobTopic)]) {
      this.pubsub.topicValidators.delete(topic)
      this.pubsub.unsubscribe(topic)
    }
    this.jobs.clear()
  }

  /** Subscribes to a job's topic, to hear its claims and results. */
  followJob(jobId: string): void {
    if (this.jobs.has(jobId)) return
    this.jobs.add(jobId)
    const topic = jobTopic(jobId)
    // Score parameters are per topic name, and job topics are made at run time: gossipsub
    // reads them from its params object on every score update, so adding an entry there is
    // how a new topic gets the same invalid-message penalty as the market topic.
    const params = this.scoreParams()
    if (params !== undefined) params[topic] = JOB_TOPIC_SCORE_PARAMS
    this.follow(topic)
  }

  /** Gossipsub's score parameters by topic, which it reads on every score update. */
  private scoreParams(): Record<string, unknown> | undefined {
    return (this.pubsub as unknown as { score?: { params?: { topics?: Record<string, unknown> } } }).score
      ?.params?.topics
  }

  /** Leaves a job's topic: this peer forgot the job (see stranger-jobs.ts). */
  unfollowJob(jobId: string): void {
    if (!this.jobs.delete(jobId)) return
    const topic = jobTopic(jobId)
    this.pubsub.topicValidators.delete(topic)
    this.pubsub.unsubscribe(topic)
    // Its score parameters stay: gossipsub keeps each peer's counters of a topic and reads the
    // topic's parameters again when that peer leaves (removePeer in its peer-score.js, which throws
    // on a missing entry). Every job topic shares one object, so what stays is a key per job.
  }

  /** Publishes an envelope on the topic its kind belongs to. */
  async publish(envelope: SealedEnvelope): Promise<void> {
    const message = envelope.message
    const topic =
      message.type === 'JobAnnounce' || message.type === 'TaskBatch' ? MARKET_TOPIC : jobTopic(message.jobId)
    this.traffic.sentBytes += envelope.bytes.length
    await this.pubsub.publish(topic, envelope.bytes)
  }

  /** Sends the bytes of a JobAnnounce or TaskBatch envelope, already verified, on the market topic again. */
  async publishMarketBytes(bytes: Uint8Array): Promise<void> {
    this.traffic.sentBytes += bytes.length
    await this.pubsub.publish(MARKET_TOPIC, bytes)
  }

  private follow(topic: string): void {
    this.pubsub.topicValidators.set(topic, async (from, message) => this.validate(topic, from, message))
    this.pubsub.subscribe(topic)
  }

  private async validate(topic: string, from: PeerId, message: GossipMessage): Promise<TopicValidatorResult> {
    let envelope: SealedEnvelope
    try {
      envelope = await openEnvelope(message.data, { maxBytes: this.maxBytes })
    } catch {
      return TopicValidatorResult.Reject
    }
    if (!belongsTo(topic, envelope)) return TopicValidatorResult.Reject
    // Counted against the peer that passed it on (gossipsub's propagation source), not its
    // signer: signers are free keys, connections are not.
    const verdict = this.limits[kindOf(envelope)].take(from.toString())
    if (verdict !== 'within') {
      this.traffic.throttled++
      if (verdict === 'flooding') this.penalise(from)
      return TopicValidatorResult.Ignore
    }
    this.opened.set(message, envelope)
    return TopicValidatorResult.Accept
  }

  /**
   * Costs a flooding peer score, it alone. Not by rejecting its message: gossipsub then also
   * penalises every peer that delivered the same message while it was being validated (its
   * peer-score.js rejectMessage), and an honest peer relaying the flood would pay too. The
   * behaviour penalty (P7, as for broken gossip promises) falls on one peer; it is squared, so a
   * sustained flood soon puts the peer below the graylist threshold, out of the mesh.
   */
  private penalise(peer: PeerId): void {
    this.traffic.penalised++
    const score = (
      this.pubsub as unknown as { score?: { addPenalty?(id: string, n: number, label: string): void } }
    ).score
    score?.addPenalty?.(peer.toString(), 1, 'p2pc_flood')
  }

  private deliver({ msg, propagationSource }: GossipsubMessage): void {
    const envelope = this.opened.get(msg)
    if (envelope === undefined) return
    this.opened.delete(msg)
    this.traffic.receivedBytes += envelope.bytes.length
    this.onEnvelope(envelope, propagationSource)
  }
}

/** The rate-limit kind of an envelope. */
function kindOf(envelope: SealedEnvelope): GossipKind {
  switch (envelope.message.type) {
    case 'JobAnnounce':
      return 'announce'
    case 'TaskBatch':
      return 'batch'
    case 'Claim':
      return 'claim'
    default:
      return 'result'
  }
}

/** Whether an envelope is of a kind that travels on this topic. */
function belongsTo(topic: string, envelope: SealedEnvelope): boolean {
  const message = envelope.message
  if (topic === MARKET_TOPIC) return message.type === 'JobAnnounce' || message.type === 'TaskBatch'
  if (!topic.startsWith(JOB_TOPIC_PREFIX)) return false
  const kind = message.type
  return (
    (kind === 'Claim' ||
      kind === 'Result' ||
      kind === 'ResultBatch' ||
      kind === 'Seal' ||
      kind === 'Cancel') &&
    topic === jobTopic(message.jobId)
  )
}
