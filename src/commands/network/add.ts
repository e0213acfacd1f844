import { Args, Flags } from '@oclif/core'
import { UsageError } from '../../errors.ts'
import { P2pcCommand } from '../../lib/base-command.ts'
import { checkPeerMultiaddr } from '../../lib/flags.ts'
import { addToNetwork, readAddressList } from '../../lib/network-file.ts'

export default class NetworkAdd extends P2pcCommand {
  static override summary =
    'Save peers to join the swarm through: every peer this data dir starts dials them.'
  static override description =
    'Each MULTIADDR must end with /p2p/<peer id>. With --file, adds a shared list: one multiaddr a line, # starts a comment. Nothing is saved unless every address is valid.'
  static override examples = [
    '<%= config.bin %> network add /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…',
    '<%= config.bin %> network add --file project-peers.txt',
  ]
  static override strict = false
  static override args = {
    multiaddr: Args.string({ description: 'Multiaddr of a peer, with /p2p/ id; repeatable.' }),
  }
  static override flags = {
    file: Flags.string({ description: 'A file of multiaddrs, one a line, # comments.', helpValue: 'FILE' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NetworkAdd)
    const given = (argv as string[]).map((text) => checkPeerMultiaddr(text))
    const listed = flags.file === undefined ? [] : await readAddressList(flags.file)
    if (given.length === 0 && flags.file === undefined) {
      throw new UsageError('name at least one MULTIADDR to add, or a --file of them')
    }
    const network = await addToNetwork(this.dataDir(flags), [...given, ...listed])
    if (flags.json) this.printJson({ network })
  }
}
