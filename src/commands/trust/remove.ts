import { Args } from '@oclif/core'
import { P2pcCommand } from '../../lib/base-command.ts'
import { runningPeerIfAny } from '../../lib/controls.ts'
import { checkPeerId, readTrusted, writeTrusted } from '../../lib/trust-file.ts'

export default class TrustRemove extends P2pcCommand {
  static override summary =
    'Stop trusting a publisher: the contributor running on this data dir gives its tasks back at once.'
  static override args = { peerId: Args.string({ description: "The publisher's peer id.", required: true }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TrustRemove)
    const dataDir = this.dataDir(flags)
    const gone = checkPeerId(args.peerId)
    const peers = (await readTrusted(dataDir)).filter((peer) => peer !== gone)
    await writeTrusted(dataDir, peers)
    const running = await runningPeerIfAny(dataDir)
    await running?.setTrust(gone, false)
    if (flags.json) this.printJson({ trusted: peers, applied: running !== undefined })
  }
}
