import { Args } from '@oclif/core'
import { UsageError } from '../../errors.ts'
import { P2pcCommand } from '../../lib/base-command.ts'
import { checkPeerMultiaddr } from '../../lib/flags.ts'
import { removeFromNetwork } from '../../lib/network-file.ts'

export default class NetworkRemove extends P2pcCommand {
  static override summary = 'Forget saved peers (as `p2pc network list` prints them).'
  static override strict = false
  static override args = {
    multiaddr: Args.string({ description: 'Multiaddr of a saved peer; repeatable.' }),
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(NetworkRemove)
    const gone = (argv as string[]).map((text) => checkPeerMultiaddr(text))
    if (gone.length === 0) throw new UsageError('name at least one MULTIADDR to remove')
    const network = await removeFromNetwork(this.dataDir(flags), gone)
    if (flags.json) this.printJson({ network })
  }
}
