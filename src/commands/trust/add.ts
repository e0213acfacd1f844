import { Args } from '@oclif/core'
import { P2pcCommand } from '../../lib/base-command.ts'
import { checkPeerId, readTrusted, writeTrusted } from '../../lib/trust-file.ts'

export default class TrustAdd extends P2pcCommand {
  static override summary = 'Trust a publisher: `p2pc contribute` runs its jobs (from its next start).'
  static override args = { peerId: Args.string({ description: "The publisher's peer id.", required: true }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TrustAdd)
    const dataDir = this.dataDir(flags)
    const peers = [...(await readTrusted(dataDir)), checkPeerId(args.peerId)]
    await writeTrusted(dataDir, peers)
    if (flags.json) this.printJson({ trusted: [...new Set(peers)].sort() })
  }
}
