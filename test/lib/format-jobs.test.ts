import test from 'ava'
import type { JobSummary } from '@p2pc/node'
import { formatJobsCsv } from '../../src/lib/format-csv.ts'
import { formatJobs, listJobs } from '../../src/lib/format-jobs.ts'

const SELF = '12D3KooWSelf'
const FRIEND = '12D3KooWFriend'
const STRANGER = '12D3KooWStranger'

function job(jobId: string, publisher: string, tasks: Partial<JobSummary['tasks']> = {}): JobSummary {
  return {
    jobId,
    name: 'primes',
    version: '1.0.0',
    publisher,
    status: 'open',
    tasks: { total: 20, validated: 0, failed: 0, pending: 20, ...tasks },
    quorum: 2,
  }
}

const jobs = listJobs(
  [
    job('bafyown', SELF, { validated: 5, pending: 15 }),
    job('bafyfriend', FRIEND, { validated: 18, failed: 2, pending: 0 }),
    job('bafystranger', STRANGER),
  ],
  SELF,
  [FRIEND],
)

test('a job is trusted when this data dir trusts its publisher or is its publisher', (t) => {
  t.deepEqual(
    jobs.map((listed) => [listed.jobId, listed.trusted]),
    [
      ['bafyown', true],
      ['bafyfriend', true],
      ['bafystranger', false],
    ],
  )
})

test('one line per job: workload, status, validated/total, trust and publisher', (t) => {
  t.is(
    formatJobs(jobs, SELF),
    [
      `bafyown  primes@1.0.0  open  5/20 validated  trusted  publisher ${SELF} (this peer)`,
      `bafyfriend  primes@1.0.0  open  18/20 validated, 2 failed  trusted  publisher ${FRIEND}`,
      `bafystranger  primes@1.0.0  open  0/20 validated  untrusted  publisher ${STRANGER}`,
      '',
    ].join('\n'),
  )
  t.is(formatJobs([], SELF), 'no jobs\n')
})

test('jobs --csv: a header, then one CRLF-ended row per job, fields quoted where they must be', (t) => {
  t.is(
    formatJobsCsv([...jobs.slice(0, 2), { ...jobs[2]!, name: 'a,"b"' }]),
    'job,name,version,publisher,trusted,status,validated,failed,total\r\n' +
      `bafyown,primes,1.0.0,${SELF},true,open,5,0,20\r\n` +
      `bafyfriend,primes,1.0.0,${FRIEND},true,open,18,2,20\r\n` +
      `bafystranger,"a,""b""",1.0.0,${STRANGER},false,open,0,0,20\r\n`,
  )
})
