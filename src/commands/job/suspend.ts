import { Args } from '@oclif/core'
import { P2pcCommand } from '../../lib/base-command.ts'
import { describeControls, runningPeer } from '../../lib/controls.ts'

export default class JobSuspend extends P2pcCommand {
  static override summary =
    'Suspend a job on the contributor running on this data dir: its tasks here stop, checkpoints kept, and it takes no more until `p2pc job resume`.'
  static override args = { jobId: Args.string({ description: 'The job id.', required: true }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(JobSuspend)
    const api = await runningPeer(this.dataDir(flags, { writable: false }))
    const status = await api.controlJob(args.jobId, 'suspend')
    if (flags.json) this.printJson(status)
    else process.stderr.write(`p2pc: ${describeControls(status)}\n`)
  }
}
