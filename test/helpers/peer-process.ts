// A peer in its own process, for tests that kill it: `node peer-process.ts '<PeerInit as JSON>'`.
// Prints its peer id and addresses as one JSON line once started, then runs until killed.
import { createPeer, type PeerInit } from '@p2pc/node'

const init = JSON.parse(process.argv[2] ?? '{}') as PeerInit
const peer = createPeer(init)
await peer.start()
process.stdout.write(`${JSON.stringify({ peerId: peer.peerId, addresses: peer.addresses() })}\n`)
