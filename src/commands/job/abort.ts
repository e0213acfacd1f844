import { Args } from '@oclif/core'
import { P2pcCommand } from '../../lib/base-command.ts'
import { describeControls, runningPeer } from '../../lib/controls.ts'

export default class JobAbort extends P2pcCommand {
  static override summary =
    'Abort a job on the contributor running on this data dir: its tasks here stop, their claims go back to the swarm, and it takes no more of the job.'
  static override args = { jobId: Args.string({ description: 'The job id.', required: true }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(JobAbort)
    const api = await runningPeer(this.dataDir(flags, { writable: false }))
    const status = await api.controlJob(args.jobId, 'abort')
    if (flags.json) this.printJson(status)
    else process.stderr.write(`p2pc: ${describeControls(status)}\n`)
  }
}
