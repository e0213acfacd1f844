import type { Hook } from '@oclif/core'

/**
 * An unknown command gets one sentence and exit code 2, like a bad flag, instead of oclif's
 * own decorated error; with --json, the `{"error": …}` object the commands print.
 */
const hook: Hook<'command_not_found'> = async function ({ id, argv }) {
  const name = id.replaceAll(':', ' ')
  const message = `${name} is not a p2pc command: see p2pc --help`
  if (argv?.includes('--json') === true) {
    process.stdout.write(`${JSON.stringify({ error: { name: 'UnknownCommandError', message } })}\n`)
  } else {
    process.stderr.write(`p2pc: ${message}\n`)
  }
  process.exitCode = 2
}

export default hook
