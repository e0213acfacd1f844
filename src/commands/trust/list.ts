import { P2pcCommand } from '../../lib/base-command.ts'
import { readTrusted } from '../../lib/trust-file.ts'

export default class TrustList extends P2pcCommand {
  static override summary = 'The publishers this data dir trusts.'

  async run(): Promise<void> {
    const { flags } = await this.parse(TrustList)
    const peers = await readTrusted(this.dataDir(flags, { writable: false }))
    if (flags.json) this.printJson({ trusted: peers })
    else process.stdout.write(peers.length === 0 ? 'no trusted publishers\n' : `${peers.join('\n')}\n`)
  }
}
