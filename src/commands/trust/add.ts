import { Args } from '@oclif/core'
import { P2pcCommand } from '../../lib/base-command.ts'
import { runningPeerIfAny } from '../../lib/controls.ts'
import { checkPeerId, readTrusted, writeTrusted } from '../../lib/trust-file.ts'

export default class TrustAdd extends P2pcCommand {
  static override summary =
    'Trust a publisher: `p2pc contribute` runs its jobs, the contributor running on this data dir from now on.'
  static override args = { peerId: Args.string({ description: "The publisher's peer id.", required: true }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TrustAdd)
    const dataDir = this.dataDir(flags)
    const peer = checkPeerId(args.peerId)
    const peers = [...(await readTrusted(dataDir)), peer]
    await writeTrusted(dataDir, peers)
    const running = await runningPeerIfAny(dataDir)
    await running?.setTrust(peer, true)
    if (flags.json) this.printJson({ trusted: [...new Set(peers)].sort(), applied: running !== undefined })
  }
}
