import { createPeer } from '@p2pc/node'
import { P2pcCommand } from '../lib/base-command.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { untilSignal } from '../lib/run-until-signal.ts'
import { printPeerEvents } from '../lib/peer-log.ts'

export default class Node extends P2pcCommand {
  static override summary =
    'Run a peer that does not contribute: a bootstrap peer, a publisher host, an archiver.'
  static override examples = ['<%= config.bin %> node --listen /ip4/0.0.0.0/tcp/4001 --no-mdns']
  static override flags = { ...networkFlags }

  async run(): Promise<void> {
    const { flags } = await this.parse(Node)
    const peer = createPeer({ dataDir: this.dataDir(flags), ...networkInit(flags) })
    await peer.start()
    printPeerEvents(peer, { json: flags.json, role: 'node' })
    await untilSignal()
    await peer.stop()
  }
}
