import { P2pcCommand } from '../../lib/base-command.ts'
import { readNetwork } from '../../lib/network-file.ts'

export default class NetworkList extends P2pcCommand {
  static override summary = 'The peers this data dir joins the swarm through.'

  async run(): Promise<void> {
    const { flags } = await this.parse(NetworkList)
    const network = await readNetwork(this.dataDir(flags, { writable: false }))
    if (flags.json) this.printJson({ network })
    else {
      process.stdout.write(
        network.length === 0
          ? 'no saved network: add a peer with `p2pc network add MULTIADDR`\n'
          : `${network.join('\n')}\n`,
      )
    }
  }
}
