import test from 'ava'
import { p2pc } from '../helpers/cli.ts'

test('demo --workload of no such workload fails before any peer starts, listing the workloads', async (t) => {
  const run = await p2pc(['demo', '--workload', 'nosuch'])
  t.is(run.code, 1)
  t.is(run.stdout, '')
  // One line: no peer was started (each would have printed its id first).
  const lines = run.stderr.split('\n')
  t.is(lines.length, 2, run.stderr)
  t.regex(lines[0]!, /^p2pc: --workload nosuch is not a workload of the demo: choose one of [a-z, -]+$/)
  const listed = lines[0]!.replace(/^.*choose one of /, '').split(', ')
  for (const workload of ['hp-fold', 'pi', 'primes']) t.true(listed.includes(workload), workload)
})
