import { readdir } from 'node:fs/promises'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { temporaryDir } from '../helpers/paths.ts'

const badInputs: Array<[string, string[], RegExp]> = [
  ['a CPU cap of 0', ['--max-cpu', '0'], /^p2pc: --max-cpu must be a percentage from 1 to 100, not "0"$/],
  ['a CPU cap in words', ['--max-cpu', 'half'], /^p2pc: --max-cpu must be a percentage from 1 to 100/],
  [
    'an idle load above 1',
    ['--idle-only', '--idle-load', '2'],
    /^p2pc: --idle-load must be a fraction from 0 to 1, such as 0.25, not "2"$/,
  ],
  [
    'an idle load without --idle-only',
    ['--idle-load', '0.5'],
    /^p2pc: --idle-load sets the load of --idle-only/,
  ],
  [
    'an unknown battery policy',
    ['--on-battery', 'maybe'],
    /^p2pc: Expected --on-battery=maybe to be one of: pause, run$/,
  ],
  ['a task timeout without a unit', ['--task-timeout', '5'], /^p2pc: "5" is not a duration/],
  ['a memory limit of 0', ['--memory', '0'], /^p2pc: --memory must be a positive integer, not "0"$/],
]

for (const [what, flags, expected] of badInputs) {
  test(`contribute with ${what}: one sentence on stderr, a non-zero exit, no peer started`, async (t) => {
    const home = await temporaryDir(t)
    const run = await p2pc(['contribute', ...flags], { env: { P2PC_HOME: home } })
    t.not(run.code, 0)
    t.is(run.stdout, '')
    t.regex(run.stderr.trim(), expected)
    t.is(run.stderr.trim().split('\n').length, 1)
    t.deepEqual(await readdir(home), [], 'nothing was written to the data dir')
  })
}
