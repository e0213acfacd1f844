import test from 'ava'
import type { CreditReport } from '@p2pc/node'
import { formatCredit, formatCreditCsv } from '../../src/lib/format-credit.ts'
import { parseCsv } from '../helpers/csv.ts'

const JOB_A = 'bafyreihsy67pc754etbzr427vnkiqvxrhw6auuj3mhclsmd6ywgwkxijjq'
const JOB_B = 'bafyreidnnzhfr6o6g2dklj5klaw2byeotqbko4uepov7xbcpb5hvgaflsa'

const report: CreditReport = {
  total: 4.25,
  days: [
    { day: '2026-12-01', credit: 3, jobs: [{ jobId: JOB_A, name: 'primes, fast', credit: 3 }] },
    {
      day: '2026-12-02',
      credit: 1.25,
      jobs: [
        { jobId: JOB_A, name: 'primes, fast', credit: 1 },
        { jobId: JOB_B, credit: 0.25 },
      ],
    },
  ],
  jobs: [
    { jobId: JOB_A, name: 'primes, fast', credit: 4 },
    { jobId: JOB_B, credit: 0.25 },
  ],
}

test('the total, then the credit of each day and of each job', (t) => {
  t.is(
    formatCredit(report),
    [
      'credit: 4.3 s over 2 days and 2 jobs',
      'by day (UTC):',
      '  2026-12-01         3.0 s',
      '  2026-12-02         1.3 s',
      'by job:',
      '  primes, fast …ywgwkxijjq                 4.0 s',
      '  …b5hvgaflsa                              0.3 s',
      '',
    ].join('\n'),
  )
})

test('no credit yet is one line', (t) => {
  t.is(formatCredit({ total: 0, days: [], jobs: [] }), 'credit: 0.0 s (no validated work yet)\n')
})

test('the CSV has a row per day and job, which add up to the total', (t) => {
  const [header, ...rows] = parseCsv(formatCreditCsv(report))
  t.deepEqual(header, ['day', 'jobId', 'name', 'credit'])
  t.deepEqual(rows, [
    ['2026-12-01', JOB_A, 'primes, fast', '3'],
    ['2026-12-02', JOB_A, 'primes, fast', '1'],
    ['2026-12-02', JOB_B, '', '0.25'],
  ])
  t.is(
    rows.reduce((sum, row) => sum + Number(row[3]), 0),
    report.total,
  )
})
