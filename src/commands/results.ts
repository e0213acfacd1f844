import { Args, Flags } from '@oclif/core'
import type { FirstSync, PeerApi } from '@p2pc/node'
import { UsageError } from '../errors.ts'
import { P2pcCommand } from '../lib/base-command.ts'
import { jobEnding } from '../lib/failed-tasks.ts'
import { followJob } from '../lib/follow-job.ts'
import { formatTaskCsv } from '../lib/format-csv.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { formatResults } from '../lib/format-results.ts'
import { checkReaderSync } from '../lib/reader-sync.ts'
import { withPeer } from '../lib/with-peer.ts'

export default class Results extends P2pcCommand {
  static override summary = "A job's status, task counts, contributors and aggregate."
  static override args = {
    jobId: Args.string({ description: 'The job id that publish printed.', required: true }),
  }
  static override flags = {
    ...networkFlags,
    wait: Flags.boolean({ description: 'Wait until every task is settled.', default: false }),
    csv: Flags.boolean({
      description:
        'Print one row per task instead: index,status,output,verified (the output as JSON; verified: quorum, checked, single or sealed).',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Results)
    if (flags.csv && flags.json) throw new UsageError('--csv and --json cannot be used together: pick one')
    const dataDir = this.dataDir(flags)
    // Followed from the start, so that no bound on strangers' jobs forgets it while syncing.
    const init = { ...(await networkInit(flags, dataDir)), follow: [args.jobId] }
    const ask = async (api: PeerApi, _owned: boolean, sync: FirstSync | undefined): Promise<void> => {
      const warning = await checkReaderSync(api, sync, args.jobId)
      if (warning !== undefined) process.stderr.write(`p2pc: ${warning}\n`)
      const followed = flags.wait ? await followJob(api, args.jobId, { bar: !flags.json }) : undefined
      if (flags.csv) {
        process.stdout.write(formatTaskCsv(await api.taskResults(args.jobId)))
        return
      }
      const results = followed ?? (await api.results(args.jobId))
      if (flags.json) this.printJson(results)
      else process.stdout.write(formatResults(args.jobId, results))
      // The human form lists the failed tasks already.
      const ending = jobEnding(args.jobId, results, { json: flags.json, failuresShown: true })
      process.stderr.write(ending.stderr)
      process.exitCode = ending.exitCode
    }
    // A peer started here syncs first: a fresh data dir knows nothing of the swarm yet.
    await withPeer(dataDir, init, ask, { sync: true })
  }
}
