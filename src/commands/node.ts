import { createPeer } from '@p2pc/node'
import { P2pcCommand } from '../lib/base-command.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { relayFlags, relayInit } from '../lib/relay-flags.ts'
import { untilSignal } from '../lib/run-until-signal.ts'
import { printPeerEvents } from '../lib/peer-log.ts'

export default class Node extends P2pcCommand {
  static override summary =
    'Run a peer that does not contribute: a bootstrap peer, a publisher host, an archiver.'
  static override examples = [
    '<%= config.bin %> node --listen /ip4/0.0.0.0/tcp/4001 --no-mdns',
    '<%= config.bin %> node --relay --listen /ip4/0.0.0.0/tcp/4001 --relay-slots 256',
  ]
  static override flags = { ...networkFlags, ...relayFlags }

  async run(): Promise<void> {
    const { flags } = await this.parse(Node)
    const dataDir = this.dataDir(flags)
    const peer = createPeer({ dataDir, ...(await networkInit(flags, dataDir)), ...relayInit(flags) })
    await peer.start()
    printPeerEvents(peer, { json: flags.json, role: 'node' })
    await untilSignal()
    await peer.stop()
  }
}
