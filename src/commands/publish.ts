import { Args, Flags } from '@oclif/core'
import type { PeerApi } from '@p2pc/node'
import { P2pcCommand } from '../lib/base-command.ts'
import { jsonValue } from '../lib/flags.ts'
import { jobFlags, publishOptions } from '../lib/publish-flags.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { jobEnding } from '../lib/failed-tasks.ts'
import { followJob } from '../lib/follow-job.ts'
import { quorumWarning, watchQuorum } from '../lib/quorum-watch.ts'
import { withPeer } from '../lib/with-peer.ts'

export default class Publish extends P2pcCommand {
  static override summary = 'Publish a workload package as a job; prints its jobId.'
  static override description =
    'Uses the peer running on the data dir, or starts one for as long as it needs (with --wait, until the job is done).'
  static override examples = [
    '<%= config.bin %> publish workloads/primes --params \'{"upTo": 100000000}\' --quorum 2 --wait',
  ]

  static override args = {
    dir: Args.string({ description: 'Folder of the workload package.', required: true }),
  }
  static override flags = {
    ...networkFlags,
    params: jsonValue({ description: 'Job parameters as JSON, or @FILE.' }),
    ...jobFlags,
    wait: Flags.boolean({
      description: 'Follow the job with a progress bar and end with the aggregate.',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Publish)
    const options = publishOptions(flags)
    const dataDir = this.dataDir(flags)
    await withPeer(dataDir, await networkInit(flags, dataDir), async (api, owned) => {
      const { jobId } = await api.publish(args.dir, flags.params, options)
      // Warns, once, when fewer peers than the quorum work on the job: it would never validate a task.
      const watched = watchQuorum(api, jobId)
        .then((shortfall) => {
          if (shortfall === undefined) return
          // A progress bar may be on the line: clear it; it is redrawn below at its next update.
          const clear = process.stderr.isTTY && flags.wait && !flags.json ? '\r\u001b[K' : ''
          process.stderr.write(`${clear}p2pc: ${quorumWarning(shortfall)}\n`)
        })
        // The watch only advises: a peer that stops answering fails the command where it follows the job.
        .catch(() => {})
      if (!flags.wait) {
        if (flags.json) this.printJson({ jobId })
        else process.stdout.write(`${jobId}\n`)
        await watched
        if (owned) await this.sayItLeaves(api, jobId)
        return
      }
      if (!flags.json) process.stderr.write(`published ${jobId}\n`)
      const results = await followJob(api, jobId, { bar: !flags.json })
      await watched
      if (flags.json) this.printJson({ jobId, ...results })
      else process.stdout.write(`${JSON.stringify(results.aggregate, null, 2)}\n`)
      const ending = jobEnding(jobId, results, { json: flags.json, failuresShown: false })
      process.stderr.write(ending.stderr)
      process.exitCode = ending.exitCode
    })
  }

  /**
   * The peer this command started stops with it. Where the job needs its publisher online (it
   * opens private answers and makes the spot checks), its tasks wait for it: say so.
   */
  private async sayItLeaves(api: PeerApi, jobId: string): Promise<void> {
    const { verification } = await api.results(jobId)
    if (verification.answers !== 'private' && verification.spotCheckRate === 0) return
    process.stderr.write(
      'p2pc: this peer stops now; the job needs it online to settle its tasks (it opens their private answers and makes its spot checks): run p2pc node on this data dir, or publish with --wait\n',
    )
  }
}
