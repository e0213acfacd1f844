import {
  TopicValidatorResult,
  type GossipSub,
  type GossipsubMessage,
  type Message as GossipMessage,
} from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { JOB_TOPIC_PREFIX, MARKET_TOPIC, jobTopic, openEnvelope, type SealedEnvelope } from '@p2pc/protocol'
import { topicScoreParams } from './host.ts'

/** Options of {@link GossipMarket}. */
export interface GossipMarketInit {
  pubsub: GossipSub
  /** Largest envelope accepted. */
  maxBytes: number
  /** An envelope that passed every check, with the peer it came from. */
  onEnvelope(envelope: SealedEnvelope, from: PeerId): void
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
  /** Envelope bytes this peer published, and accepted from others, since it started. */
  readonly traffic = { sentBytes: 0, receivedBytes: 0 }
  private readonly onMessage = (event: CustomEvent<GossipsubMessage>): void => this.deliver(event.detail)

  constructor(init: GossipMarketInit) {
    this.pubsub = init.pubsub
    this.maxBytes = init.maxBytes
    this.onEnvelope = init.onEnvelope
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
    const params = (this.pubsub as unknown as { score?: { params?: { topics?: Record<string, unknown> } } })
      .score?.params?.topics
    if (params !== undefined) params[topic] = topicScoreParams()
    this.follow(topic)
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
    this.pubsub.topicValidators.set(topic, async (_from, message) => this.validate(topic, message))
    this.pubsub.subscribe(topic)
  }

  private async validate(topic: string, message: GossipMessage): Promise<TopicValidatorResult> {
    try {
      const envelope = await openEnvelope(message.data, { maxBytes: this.maxBytes })
      if (!belongsTo(topic, envelope)) return TopicValidatorResult.Reject
      this.opened.set(message, envelope)
      return TopicValidatorResult.Accept
    } catch {
      return TopicValidatorResult.Reject
    }
  }

  private deliver({ msg, propagationSource }: GossipsubMessage): void {
    const envelope = this.opened.get(msg)
    if (envelope === undefined) return
    this.opened.delete(msg)
    this.traffic.receivedBytes += envelope.bytes.length
    this.onEnvelope(envelope, propagationSource)
  }
}

/** Whether an envelope is of a kind that travels on this topic. */
function belongsTo(topic: string, envelope: SealedEnvelope): boolean {
  const message = envelope.message
  if (topic === MARKET_TOPIC) return message.type === 'JobAnnounce' || message.type === 'TaskBatch'
  if (!topic.startsWith(JOB_TOPIC_PREFIX)) return false
  const kind = message.type
  return (
    (kind === 'Claim' || kind === 'Result' || kind === 'ResultBatch' || kind === 'Seal') &&
    topic === jobTopic(message.jobId)
  )
}
