import test from 'ava'
import type { JobResults } from '@p2pc/node'
import { formatResults } from '../../src/lib/format-results.ts'

const JOB = 'bafyjob'

function results(verification: Partial<JobResults['verification']>): JobResults {
  return {
    status: 'complete',
    tasks: { total: 10, validated: 10, failed: 0, pending: 0 },
    aggregate: { count: 4 },
    contributors: [
      { peer: '12D3KooWhonest', validated: 10, invalid: 0, credit: 1.5, caught: false },
      { peer: '12D3KooWliar', validated: 0, invalid: 3, credit: 0, caught: true },
    ],
    failures: [],
    verification: {
      mode: 'strict',
      answers: 'public',
      spotCheckRate: 0,
      quorum: 10,
      checked: 0,
      single: 0,
      sealed: 0,
      checksMade: 0,
      checksDisagreed: 0,
      ...verification,
    },
  }
}

test('results say how the job verifies and how its tasks were verified', (t) => {
  const strict = formatResults(JOB, results({}))
  t.true(strict.includes('\nverification: strict; 10 by quorum, 0 by spot check\n'))
  const adaptive = formatResults(
    JOB,
    results({
      mode: 'adaptive',
      spotCheckRate: 0.1,
      quorum: 2,
      checked: 1,
      single: 7,
      checksMade: 1,
      checksDisagreed: 1,
    }),
  )
  t.true(
    adaptive.includes(
      '\nverification: adaptive, 10% spot-checked; 2 by quorum, 1 by spot check, 7 by one trusted contributor; 1 spot checks, 1 of them found a wrong answer\n',
    ),
  )
  const boxed = formatResults(JOB, results({ answers: 'private', quorum: 4, sealed: 6 }))
  t.true(
    boxed.includes(
      '\nverification: strict, private answers; 4 by quorum, 0 by spot check, 6 sealed by the publisher\n',
    ),
  )
})

test('results mark a contributor the spot checks caught', (t) => {
  const text = formatResults(JOB, results({}))
  t.true(text.includes('  12D3KooWliar  0 valid, 3 invalid, 0.0 s credit, caught by a spot check\n'))
  t.true(text.includes('  12D3KooWhonest  10 valid, 0 invalid, 1.5 s credit\n'))
})
