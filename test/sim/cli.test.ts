import { execFile } from 'node:child_process'
import { join } from 'node:path'
import test from 'ava'
import { repoRoot } from '../helpers/paths.ts'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the simulator's CLI as `npm run sim` does, in its own process. */
function sim(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'packages', 'sim', 'dist', 'cli.js'), ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null
        resolve({ code, stdout, stderr })
      },
    )
  })
}

const SMALL = ['--peers', '20', '--tasks', '100', '--seed', '3']

test('--json prints one JSON object with the figures of the run', async (t) => {
  const run = await sim([
    ...SMALL,
    '--quorum',
    '2',
    '--cheaters',
    '0.2',
    '--behaviour',
    'wrong',
    '--loss',
    '0.05',
    '--churn',
    '0.1',
    '--json',
  ])
  t.is(run.code, 0, run.stderr)
  const report = JSON.parse(run.stdout) as Record<string, unknown>
  for (const field of [
    'completed',
    'validated',
    'failed',
    'wrongAccepted',
    'replicasPerTask',
    'simTimeMs',
    'wallMs',
  ]) {
    t.is(typeof report[field], 'number', field)
  }
  t.is(report.peers, 20)
  t.is(report.tasks, 100)
  t.is(report.cheaters, 4)
  t.is(report.validated, 100)
  t.is(report.readersAgree, true)
})

test('without --json: a short human summary', async (t) => {
  const run = await sim(SMALL)
  t.is(run.code, 0, run.stderr)
  t.regex(run.stdout, /^20 peers \(all honest\), 100 tasks, quorum 2/)
  t.regex(run.stdout, /settled 100\/100: 100 validated, 0 failed/)
  t.regex(run.stdout, /readers agree: yes/)
  t.true(run.stdout.split('\n').length < 12)
})

test('bad flags: one clear sentence and exit code 1; with --json, an error object', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['--peers', 'many'], /--peers must be a number, got "many"/],
    [['--quorum', '0'], /--quorum must be an integer from 1 to 64/],
    [['--behaviour', 'evil'], /--behaviour must be one of honest, wrong/],
    [['--partition', '5'], /--partition must be START:END:GROUPS/],
    [['--mix', 'colluding'], /--mix must be BEHAVIOUR:FRACTION/],
    [['--mix', 'evil:0.1'], /--mix must name a behaviour, one of honest, wrong/],
    [['--mix', 'colluding:0.7,wrong:0.5'], /--mix must give the cheaters at most all of the contributors/],
    [['--verification', 'lax'], /--verification must be strict or adaptive/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ]
  for (const [args, message] of cases) {
    const run = await sim(args)
    t.is(run.code, 1, args.join(' '))
    t.regex(run.stderr, message)
    t.notRegex(run.stderr, /\n\s+at /)
  }
  const json = await sim(['--loss', '3', '--json'])
  t.is(json.code, 1)
  t.deepEqual(JSON.parse(json.stdout), {
    error: { name: 'InvalidSimulationOptionsError', message: '--loss must be a fraction from 0 to 0.99' },
  })
})
