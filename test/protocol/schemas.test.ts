import test from 'ava'
import {
  MAX_BATCH_RESULTS,
  MAX_CLAIM_TASKS,
  jobRulesProblem,
  messageSchemas,
  validateMessage,
} from '@p2pc/protocol'
import {
  claim,
  cidBatch,
  inlineBatch,
  inlineResult,
  jobAnnounce,
  publisherId,
  resultBatch,
} from './fixtures.ts'

const publisher = await publisherId()

type Sample = Record<string, unknown>
type Case = [title: string, edit: (m: Sample) => void, message: RegExp]

function without(key: string) {
  return (m: Sample) => {
    delete m[key]
  }
}

function set(key: string, value: unknown) {
  return (m: Sample) => {
    m[key] = value
  }
}

const cases: Record<string, { base: () => Sample; cases: Case[] }> = {
  JobAnnounce: {
    base: () => jobAnnounce(publisher) as unknown as Sample,
    cases: [
      [
        'a missing quorum',
        without('quorum'),
        /^invalid JobAnnounce message: \(root\) must have required property 'quorum'$/,
      ],
      ['a missing workload', without('workload'), /required property 'workload'/],
      ['a string quorum', set('quorum', '2'), /^invalid JobAnnounce message: \/quorum must be integer$/],
      ['a fractional taskCount', set('taskCount', 10.5), /\/taskCount must be integer/],
      ['an extra property', set('priority', 9), /\(root\) must NOT have additional properties: "priority"/],
      ['a quorum of 0', set('quorum', 0), /\/quorum must be >= 1/],
      ['a quorum of 65', set('quorum', 65), /\/quorum must be <= 64/],
      ['a lease under a second', set('leaseMs', 999), /\/leaseMs must be >= 1000/],
      ['a lease over a day', set('leaseMs', 86_400_001), /\/leaseMs must be <= 86400000/],
      ['a negative publishedAt', set('publishedAt', -1), /\/publishedAt must be >= 0/],
      ['zero tasks', set('taskCount', 0), /\/taskCount must be >= 1/],
      ['a wrong version', set('v', 2), /\/v must be equal to constant: 1/],
      ['an uppercase nonce', set('nonce', 'ABCDEF0123'), /\/nonce must match pattern/],
      ['a too short nonce', set('nonce', 'abc'), /\/nonce must match pattern/],
      [
        'a name over 200 characters',
        (m) => ((m.workload as Sample).name = 'x'.repeat(201)),
        /\/workload\/name must NOT have more than 200 characters/,
      ],
      [
        'an empty version',
        (m) => ((m.workload as Sample).version = ''),
        /\/workload\/version must NOT have fewer than 1 characters/,
      ],
      [
        'an extra workload property',
        (m) => ((m.workload as Sample).url = 'https://x'),
        /\/workload must NOT have additional properties: "url"/,
      ],
      ['a publisher that is not a peer id', set('publisher', 'alice'), /\/publisher must match pattern/],
    ],
  },
  TaskBatch: {
    base: () => inlineBatch() as unknown as Sample,
    cases: [
      [
        'a missing jobId',
        without('jobId'),
        /^invalid TaskBatch message: \(root\) must have required property 'jobId'$/,
      ],
      ['a missing first', without('first'), /required property 'first'/],
      ['a negative batch index', set('batch', -1), /\/batch must be >= 0/],
      ['a task index past 2^32', set('first', 2 ** 32), /\/first must be <= 4294967295/],
      ['inputs that are not an array', set('inputs', { n: 1 }), /\/inputs must be array/],
      ['empty inputs', set('inputs', []), /\/inputs must NOT have fewer than 1 items/],
      [
        'too many inputs',
        set('inputs', new Array(10_001).fill(0)),
        /\/inputs must NOT have more than 10000 items/,
      ],
      ['an extra property', set('count', 2), /must NOT have additional properties: "count"/],
      [
        'a jobId that is not base32',
        set('jobId', 'QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR'),
        /\/jobId must match pattern/,
      ],
      [
        'an overlong inputsCid',
        (m) => {
          delete m.inputs
          m.inputsCid = 'b' + 'a'.repeat(200)
        },
        /\/inputsCid must NOT have more than 100 characters/,
      ],
    ],
  },
  Claim: {
    base: () => claim() as unknown as Sample,
    cases: [
      [
        'a missing leaseEnd',
        without('leaseEnd'),
        /^invalid Claim message: \(root\) must have required property 'leaseEnd'$/,
      ],
      ['no tasks', set('tasks', []), /\/tasks must NOT have fewer than 1 items/],
      [
        'too many tasks',
        set(
          'tasks',
          Array.from({ length: MAX_CLAIM_TASKS + 1 }, (_, i) => i),
        ),
        /\/tasks must NOT have more than 256 items/,
      ],
      ['a string task index', set('tasks', [1, '2']), /\/tasks\/1 must be integer/],
      ['a negative task index', set('tasks', [1, -2]), /\/tasks\/1 must be >= 0/],
      ['a string leaseEnd', set('leaseEnd', '2030-01-01'), /\/leaseEnd must be integer/],
      ['an extra property', set('peer', 'me'), /must NOT have additional properties: "peer"/],
      ['a string version', set('v', '1'), /\/v must be equal to constant/],
    ],
  },
  Result: {
    base: () => inlineResult() as unknown as Sample,
    cases: [
      [
        'a missing outputHash',
        without('outputHash'),
        /^invalid Result message: \(root\) must have required property 'outputHash'$/,
      ],
      ['a missing runtime', without('runtime'), /required property 'runtime'/],
      ['a fractional duration', set('durationMs', 1.5), /\/durationMs must be integer/],
      ['a negative duration', set('durationMs', -5), /\/durationMs must be >= 0/],
      ['a duration over a week', set('durationMs', 7 * 86_400_000 + 1), /\/durationMs must be <= 604800000/],
      ['a runtime with spaces', set('runtime', 'node 24'), /\/runtime must match pattern/],
      [
        'an overlong runtime',
        set('runtime', 'n'.repeat(65)),
        /\/runtime must NOT have more than 64 characters/,
      ],
      ['a numeric task', set('task', '9'), /\/task must be integer/],
      ['an extra property', set('signature', 'x'), /must NOT have additional properties: "signature"/],
    ],
  },
  ResultBatch: {
    base: () => resultBatch() as unknown as Sample,
    cases: [
      [
        'no results',
        set('results', []),
        /^invalid ResultBatch message: \/results must NOT have fewer than 1 items$/,
      ],
      [
        'too many results',
        (m) => {
          const [first] = m.results as Array<Record<string, unknown>>
          m.results = Array.from({ length: MAX_BATCH_RESULTS + 1 }, (_, task) => ({ ...first, task }))
        },
        /\/results must NOT have more than 256 items/,
      ],
      [
        'a task answered twice',
        (m) => ((m.results as Array<Record<string, unknown>>)[1]!.task = 3),
        /^invalid ResultBatch message: \/results\/1 repeats task index 3$/,
      ],
      [
        'an entry with both output and outputCid',
        (m) =>
          ((m.results as Array<Record<string, unknown>>)[0]!.outputCid =
            resultBatch().results[0]!.outputHash),
        /^invalid ResultBatch message: \/results\/0 must have exactly one of output or outputCid, found both$/,
      ],
      [
        'an inline output that does not match its hash',
        (m) => ((m.results as Array<Record<string, unknown>>)[0]!.output = 'forged'),
        /^invalid ResultBatch message: \/results\/0\/outputHash does not match the inline output/,
      ],
      [
        'an entry with a field of its own',
        (m) => ((m.results as Array<Record<string, unknown>>)[0]!.jobId = 'x'),
        /\/results\/0 must NOT have additional properties: "jobId"/,
      ],
    ],
  },
}

for (const [kind, { base, cases: kindCases }] of Object.entries(cases)) {
  test(`${kind}: the unmodified sample is valid`, (t) => {
    t.deepEqual(validateMessage(base()), base())
  })
  for (const [title, edit, message] of kindCases) {
    test(`${kind}: rejects ${title}`, (t) => {
      const sample = base()
      edit(sample)
      t.throws(() => validateMessage(sample), { name: 'InvalidMessageError', message })
    })
  }
}

test('a TaskBatch with inputs by CID is valid', (t) => {
  t.deepEqual(validateMessage(cidBatch()), cidBatch())
})

test('messages that are not objects are rejected', (t) => {
  for (const value of [null, 'JobAnnounce', 42, [claim()]]) {
    t.throws(() => validateMessage(value), { name: 'InvalidMessageError', message: /must be an object/ })
  }
})

test('an unknown message type is rejected and named', (t) => {
  t.throws(() => validateMessage({ ...claim(), type: 'Vote' }), {
    name: 'InvalidMessageError',
    message:
      'invalid message: /type must be one of JobAnnounce, TaskBatch, Claim, Result, ResultBatch, Seal, Cancel, got "Vote"',
  })
  t.throws(() => validateMessage({ v: 1 }), { name: 'InvalidMessageError', message: /got nothing$/ })
})

test('every schema forbids additional properties', (t) => {
  for (const schema of Object.values(messageSchemas)) t.is(schema.additionalProperties, false)
  t.deepEqual(Object.keys(messageSchemas), [
    'JobAnnounce',
    'TaskBatch',
    'Claim',
    'Result',
    'ResultBatch',
    'Seal',
    'Cancel',
  ])
})

test('jobRulesProblem names the first rule out of range and its range, as validateMessage judges them', (t) => {
  const rules = { quorum: 2, maxReplicas: 5, maxErrors: 3, leaseMs: 600_000 }
  t.is(jobRulesProblem(rules), undefined)
  t.deepEqual(jobRulesProblem({ ...rules, quorum: 65 }), { rule: 'quorum', minimum: 1, maximum: 64 })
  t.deepEqual(jobRulesProblem({ ...rules, quorum: 3, maxReplicas: 2 }), {
    rule: 'maxReplicas',
    minimum: 3,
    maximum: 128,
  })
  t.deepEqual(jobRulesProblem({ ...rules, maxReplicas: 129 }), {
    rule: 'maxReplicas',
    minimum: 2,
    maximum: 128,
  })
  t.deepEqual(jobRulesProblem({ ...rules, maxErrors: -1 }), { rule: 'maxErrors', minimum: 0, maximum: 128 })
  t.deepEqual(jobRulesProblem({ ...rules, leaseMs: 0 }), {
    rule: 'leaseMs',
    minimum: 1000,
    maximum: 86_400_000,
  })
  t.deepEqual(jobRulesProblem({ ...rules, leaseMs: 1500.5 }), {
    rule: 'leaseMs',
    minimum: 1000,
    maximum: 86_400_000,
  })
  // The quorum is judged first: a maxReplicas below a quorum out of range is not the problem.
  t.is(jobRulesProblem({ ...rules, quorum: 0, maxReplicas: 1 })?.rule, 'quorum')
})

test('rules that jobRulesProblem accepts make a JobAnnounce that validateMessage accepts, and the reverse', (t) => {
  const base = jobAnnounce(publisher) as unknown as Sample
  for (const quorum of [0, 1, 2, 64, 65]) {
    for (const maxReplicas of [1, 2, 64, 128, 129]) {
      for (const leaseMs of [999, 1000, 86_400_000, 86_400_001]) {
        const rules = { quorum, maxReplicas, maxErrors: 3, leaseMs }
        let valid = true
        try {
          validateMessage({ ...base, ...rules })
        } catch {
          valid = false
        }
        t.is(jobRulesProblem(rules) === undefined, valid, JSON.stringify(rules))
      }
    }
  }
})
