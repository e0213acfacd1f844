import { Args } from '@oclif/core'
import { P2pcCommand } from '../lib/base-command.ts'
import { scaffoldWorkload } from '../lib/scaffold.ts'

export default class Init extends P2pcCommand {
  static override summary = 'Create a new workload package that run-local runs straight away.'
  static override examples = ['<%= config.bin %> init my-workload && <%= config.bin %> run-local my-workload']

  static override args = {
    dir: Args.string({ description: 'Folder to create; it must not exist or be empty.', required: true }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init)
    const files = await scaffoldWorkload(args.dir)
    if (flags.json) this.printJson({ dir: args.dir, files })
    else process.stdout.write(`Created ${files.join(', ')} in ${args.dir}\nTry: p2pc run-local ${args.dir}\n`)
  }
}
