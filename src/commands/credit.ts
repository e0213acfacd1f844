import { Flags } from '@oclif/core'
import { UsageError } from '../errors.ts'
import { P2pcCommand } from '../lib/base-command.ts'
import { formatCredit, formatCreditCsv } from '../lib/format-credit.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { withPeer } from '../lib/with-peer.ts'

export default class Credit extends P2pcCommand {
  static override summary = "This peer's validated credit per day and per job, with its total."
  static override description =
    'Credit is seconds of validated compute: what the results of this identity that other peers agreed with are worth. It is dated on the day (UTC) this peer learnt the work was validated, and kept in the data dir across restarts.'
  static override examples = ['<%= config.bin %> credit', '<%= config.bin %> credit --csv > credit.csv']
  static override flags = {
    ...networkFlags,
    csv: Flags.boolean({
      description: 'Print one row per day and job instead: day,jobId,name,credit (in seconds).',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Credit)
    if (flags.csv && flags.json) throw new UsageError('--csv and --json cannot be used together: pick one')
    const dataDir = this.dataDir(flags)
    await withPeer(dataDir, await networkInit(flags, dataDir), async (api) => {
      const report = await api.credit()
      if (flags.json) this.printJson(report)
      else process.stdout.write(flags.csv ? formatCreditCsv(report) : formatCredit(report))
    })
  }
}
