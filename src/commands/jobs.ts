import { Flags } from '@oclif/core'
import { UsageError } from '../errors.ts'
import { P2pcCommand } from '../lib/base-command.ts'
import { formatJobsCsv } from '../lib/format-csv.ts'
import { formatJobs, listJobs } from '../lib/format-jobs.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { checkReaderSync } from '../lib/reader-sync.ts'
import { withPeer } from '../lib/with-peer.ts'

export default class Jobs extends P2pcCommand {
  static override summary =
    'The jobs this peer knows: publisher, whether this data dir trusts it, status and progress.'
  static override flags = {
    ...networkFlags,
    csv: Flags.boolean({
      description:
        'Print one row per job instead: job,name,version,publisher,trusted,status,validated,failed,total.',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Jobs)
    if (flags.csv && flags.json) throw new UsageError('--csv and --json cannot be used together: pick one')
    const dataDir = this.dataDir(flags)
    const init = await networkInit(flags, dataDir)
    // A peer started here syncs first: a fresh data dir knows nothing of the swarm yet.
    await withPeer(
      dataDir,
      init,
      async (api, _owned, sync) => {
        const warning = await checkReaderSync(api, sync)
        if (warning !== undefined) process.stderr.write(`p2pc: ${warning}\n`)
        const { peerId } = await api.status()
        const jobs = listJobs(await api.jobs(), peerId, init.trust)
        if (flags.json) this.printJson(jobs)
        else if (flags.csv) process.stdout.write(formatJobsCsv(jobs))
        else process.stdout.write(formatJobs(jobs, peerId))
      },
      { sync: true },
    )
  }
}
