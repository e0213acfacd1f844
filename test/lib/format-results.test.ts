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
      checksWouldErr: 0,
      errorBound: null,
      targetError: null,
      targetMet: null,
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
      checksWouldErr: 1,
      errorBound: 1,
    }),
  )
  t.true(
    adaptive.includes(
      '\nverification: adaptive, 10% spot-checked; 2 by quorum, 1 by spot check, 7 by one trusted contributor; 1 spot checks, 1 of them found a wrong answer; error rate at most 100% (95%, 1 of 1 checks would have erred)\n',
    ),
  )
  const boxed = formatResults(JOB, results({ answers: 'private', quorum: 4, sealed: 6 }))
  t.true(
    boxed.includes(
      '\nverification: strict, private answers; 4 by quorum, 0 by spot check, 6 sealed by the publisher\n',
    ),
  )
})

test('results give the error bound against the target the publisher named, or say none is shown yet', (t) => {
  const shown = { checksMade: 1000, checked: 1000, errorBound: 0.002991, targetError: 0.005, targetMet: true }
  t.regex(
    formatResults(JOB, results(shown)),
    /; error rate at most 0\.3% \(95%, 0 of 1000 checks would have erred\), target 0\.5% met\n/,
  )
  const short = { ...shown, targetError: 0.001, targetMet: false }
  t.regex(formatResults(JOB, results(short)), /, target 0\.1% not yet shown\n/)
  const early = formatResults(JOB, results({ targetError: 0.001, targetMet: false }))
  t.regex(early, /; no spot check yet, target 0\.1% not yet shown\n/)
  t.notRegex(formatResults(JOB, results({})), /error rate|target/)
})

test('results mark a contributor the spot checks caught', (t) => {
  const text = formatResults(JOB, results({}))
  t.true(text.includes('  12D3KooWliar  0 valid, 3 invalid, 0.0 s credit, caught by a spot check\n'))
  t.true(text.includes('  12D3KooWhonest  10 valid, 0 invalid, 1.5 s credit\n'))
})
