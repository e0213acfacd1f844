import { TopicValidatorResult, type GossipsubMessage } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { MAX_PEER_RECORD_ADDRESSES, MAX_PEER_RECORD_BYTES, PEERS_TOPIC } from './constants.ts'
import type { Host } from './host.ts'

/** Options of {@link exchangePeers}. */
export interface PeerExchangeInit {
  privateKey: PrivateKey
  /** Dial peers heard of while connected to fewer than this. */
  target: number
}

/**
 * Peers tell each other where they can be dialled, on a gossip topic of their own.
 *
 * A peer behind a NAT has no address others can dial until its relay reservation is made, a
 * moment after it joined: the DHT had met it by then, found no address, and left it out for good
 * (kad-dht adds a peer to its table once, at connect). So every peer publishes its current
 * addresses, in a signed libp2p peer record, whenever they change and again each `publish()`; a
 * peer that knows few others dials the ones it hears of. The records are signed, so nobody can
 * send others to dial a stranger's key; they are never written into the peer store, so a flood of
 * fresh keys costs at most a few dials.
 */
export function exchangePeers(
  host: Host,
  init: PeerExchangeInit,
): { publish(): Promise<void>; stop(): void } {
  const pubsub = host.services.pubsub
  const records = new WeakMap<object, PeerRecord>()
  pubsub.topicValidators.set(PEERS_TOPIC, async (_from, message) => {
    const record = await openRecord(message.data)
    if (record === undefined) return TopicValidatorResult.Reject
    records.set(message, record)
    return TopicValidatorResult.Accept
  })
  const onMessage = (event: CustomEvent<GossipsubMessage>): void => {
    const record = records.get(event.detail.msg)
    if (record === undefined || record.peerId.equals(host.peerId)) return
    if (host.getPeers().length >= init.target || host.getConnections(record.peerId).length > 0) return
    void host.dial(record.multiaddrs, { signal: AbortSignal.timeout(10_000) }).catch(() => {})
  }
  pubsub.addEventListener('gossipsub:message', onMessage)
  pubsub.subscribe(PEERS_TOPIC)

  const publish = async (): Promise<void> => {
    const multiaddrs = host.getMultiaddrs().slice(0, MAX_PEER_RECORD_ADDRESSES)
    if (multiaddrs.length === 0 || host.status !== 'started') return
    // The sequence number makes each record new bytes: gossip ids are hashes of the bytes.
    const record = new PeerRecord({ peerId: host.peerId, multiaddrs, seqNumber: BigInt(Date.now()) })
    const envelope = await RecordEnvelope.seal(record, init.privateKey)
    await pubsub.publish(PEERS_TOPIC, envelope.marshal()).catch(() => {})
  }
  const onSelfUpdate = (): void => void publish()
  host.addEventListener('self:peer:update', onSelfUpdate)
  return {
    publish,
    stop() {
      host.removeEventListener('self:peer:update', onSelfUpdate)
      pubsub.removeEventListener('gossipsub:message', onMessage)
      pubsub.topicValidators.delete(PEERS_TOPIC)
      pubsub.unsubscribe(PEERS_TOPIC)
    },
  }
}

/** The peer record in a message, if it is one, signed by the peer it names, and small. */
async function openRecord(data: Uint8Array): Promise<PeerRecord | undefined> {
  if (data.length > MAX_PEER_RECORD_BYTES) return undefined
  try {
    const envelope = await RecordEnvelope.openAndCertify(data, PeerRecord.DOMAIN)
    const record = PeerRecord.createFromProtobuf(envelope.payload)
    if (!record.peerId.equals(peerIdFromPublicKey(envelope.publicKey))) return undefined
    if (record.multiaddrs.length > MAX_PEER_RECORD_ADDRESSES) return undefined
    return record
  } catch {
    return undefined
  }
}
