import { peerIdFromString } from '@libp2p/peer-id'
import { COMMITMENT_CODEC, DAG_CBOR_CODEC, RAW_CODEC, cidOfValue, parseCid } from './cid.ts'
import { MAX_TASK_COUNT } from './constants.ts'
import { InvalidMessageError } from './errors.ts'
import { failureHashOf } from './ids.ts'
import { findNonJson } from './json.ts'
import { MESSAGE_TYPES } from './messages.ts'
import type {
  Claim,
  JobAnnounce,
  Message,
  MessageType,
  OpenedTask,
  Result,
  ResultBatch,
  ResultEntry,
  Seal,
  TaskBatch,
} from './messages.ts'
import { schemaProblem } from './schemas.ts'

/**
 * Checks that an untrusted value is a well-formed message: its kind's JSON
 * Schema first, then {@link checkMessage}.
 *
 * @returns the same value, typed
 * @throws InvalidMessageError naming the kind and the first problem, such as `invalid Claim message: /tasks/0 must be integer`
 */
export function validateMessage(value: unknown): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidMessageError('invalid message: a message must be an object')
  }
  const type = (value as { type?: unknown }).type
  if (!isMessageType(type)) {
    throw new InvalidMessageError(
      `invalid message: /type must be one of ${MESSAGE_TYPES.join(', ')}, got ${describe(type)}`,
    )
  }
  const problem = schemaProblem(type, value)
  if (problem !== undefined) throw invalid(type, problem)
  const message = value as Message
  checkMessage(message)
  return message
}

/** True when the value is one of the {@link MESSAGE_TYPES}. */
export function isMessageType(value: unknown): value is MessageType {
  return (MESSAGE_TYPES as readonly unknown[]).includes(value)
}

/**
 * The checks a JSON Schema cannot express, for a value that already matches its
 * schema: the message is plain JSON, CID strings parse with the right codec,
 * counts are consistent, exactly-one-of pairs have exactly one, claim indexes are
 * unique, an inline output matches its hash.
 *
 * @throws InvalidMessageError naming the kind and the problem
 */
export function checkMessage(message: Message): void {
  const nonJson = findNonJson(message)
  if (nonJson !== undefined) throw invalid(message.type, nonJson)
  switch (message.type) {
    case 'JobAnnounce':
      return checkJobAnnounce(message)
    case 'TaskBatch':
      return checkTaskBatch(message)
    case 'Claim':
      return checkClaim(message)
    case 'Result':
      return checkResult(message)
    case 'ResultBatch':
      return checkResultBatch(message)
    case 'Seal':
      return checkSeal(message)
    case 'Cancel':
      return cidField(message.type, '/jobId', message.jobId, DAG_CBOR_CODEC)
  }
}

function checkJobAnnounce(m: JobAnnounce): void {
  cidField(m.type, '/workload/cid', m.workload.cid, RAW_CODEC)
  try {
    if (peerIdFromString(m.publisher).type !== 'Ed25519') throw new Error('not an Ed25519 peer id')
  } catch (err) {
    throw invalid(m.type, `/publisher is not an Ed25519 peer id: ${messageOf(err)}`, err)
  }
  if (m.maxReplicas < m.quorum) {
    throw invalid(m.type, `/maxReplicas (${m.maxReplicas}) must be >= quorum (${m.quorum})`)
  }
  if ((m.answers === 'private') !== (m.answerKey !== undefined)) {
    throw invalid(m.type, '/answerKey must be given exactly when answers are private')
  }
  if (m.batchCount > m.taskCount) {
    throw invalid(m.type, `/batchCount (${m.batchCount}) must be <= taskCount (${m.taskCount})`)
  }
}

function checkTaskBatch(m: TaskBatch): void {
  cidField(m.type, '/jobId', m.jobId, DAG_CBOR_CODEC)
  exactlyOne(m.type, '', 'inputs', m.inputs, 'inputsCid', m.inputsCid)
  if (m.inputsCid !== undefined) cidField(m.type, '/inputsCid', m.inputsCid, DAG_CBOR_CODEC)
  if (m.inputs !== undefined && m.first + m.inputs.length > MAX_TASK_COUNT) {
    throw invalid(m.type, `/inputs run past the last possible task index (${MAX_TASK_COUNT - 1})`)
  }
}

function checkClaim(m: Claim): void {
  cidField(m.type, '/jobId', m.jobId, DAG_CBOR_CODEC)
  const seen = new Set<number>()
  for (const [i, task] of m.tasks.entries()) {
    if (seen.has(task)) throw invalid(m.type, `/tasks/${i} repeats task index ${task}`)
    seen.add(task)
  }
}

function checkResult(m: Result): void {
  cidField(m.type, '/jobId', m.jobId, DAG_CBOR_CODEC)
  checkOutput(m.type, '', m)
}

function checkResultBatch(m: ResultBatch): void {
  cidField(m.type, '/jobId', m.jobId, DAG_CBOR_CODEC)
  const seen = new Set<number>()
  for (const [i, entry] of m.results.entries()) {
    if (seen.has(entry.task)) throw invalid(m.type, `/results/${i} repeats task index ${entry.task}`)
    seen.add(entry.task)
    checkOutput(m.type, `/results/${i}`, entry)
  }
}

function checkSeal(m: Seal): void {
  cidField(m.type, '/jobId', m.jobId, DAG_CBOR_CODEC)
  const opened = m.opened ?? []
  const targets = m.targets ?? []
  if (m.tasks.length + opened.length + targets.length === 0) {
    throw invalid(m.type, '(root) must seal, open or raise at least one task')
  }
  uniqueTasks(m.type, '/tasks', m.tasks)
  uniqueTasks(m.type, '/opened', opened)
  uniqueTasks(m.type, '/targets', targets)
  for (const [i, entry] of m.tasks.entries()) {
    cidField(m.type, `/tasks/${i}/outputHash`, entry.outputHash, DAG_CBOR_CODEC)
  }
  for (const [i, entry] of opened.entries()) checkOpened(m.type, `/opened/${i}`, entry)
}

function uniqueTasks(type: MessageType, at: string, entries: ReadonlyArray<{ task: number }>): void {
  const seen = new Set<number>()
  for (const [i, { task }] of entries.entries()) {
    if (seen.has(task)) throw invalid(type, `${at}/${i} repeats task index ${task}`)
    seen.add(task)
  }
}

/** Openings of one task: each signer once, each hash an output's or its error's, the output one of them. */
function checkOpened(type: MessageType, at: string, entry: OpenedTask): void {
  const signers = new Set<string>()
  const outputHashes = new Set<string>()
  for (const [i, opening] of entry.answers.entries()) {
    const path = `${at}/answers/${i}`
    if (signers.has(opening.signer)) throw invalid(type, `${path} repeats signer ${opening.signer}`)
    signers.add(opening.signer)
    if (opening.error !== undefined) {
      if (opening.outputHash !== failureHashOf(opening.error)) {
        throw invalid(type, `${path}/outputHash is not the failure hash of its error`)
      }
    } else {
      cidField(type, `${path}/outputHash`, opening.outputHash, DAG_CBOR_CODEC)
      outputHashes.add(opening.outputHash)
    }
  }
  if (entry.output !== undefined && !outputHashes.has(cidOfValue(entry.output).toString())) {
    throw invalid(type, `${at}/output is the output of none of its answers`)
  }
}

/**
 * The body of one answer: an inline output matching its hash, an output by CID equal to its
 * hash, or an error whose failure hash it is.
 */
function checkOutput(type: MessageType, at: string, m: ResultEntry): void {
  if (m.box !== undefined) {
    if (m.output !== undefined || m.outputCid !== undefined || m.error !== undefined) {
      throw invalid(type, `${at === '' ? '(root)' : at} must have a box or an answer in the open, not both`)
    }
    cidField(type, `${at}/outputHash`, m.outputHash, COMMITMENT_CODEC)
    return
  }
  if (m.error !== undefined) {
    if (m.output !== undefined || m.outputCid !== undefined) {
      throw invalid(type, `${at === '' ? '(root)' : at} must have an error or an output, not both`)
    }
    if (m.outputHash !== failureHashOf(m.error)) {
      throw invalid(type, `${at}/outputHash is not the failure hash of its error`)
    }
    return
  }
  cidField(type, `${at}/outputHash`, m.outputHash, DAG_CBOR_CODEC)
  exactlyOne(type, at, 'output', m.output, 'outputCid', m.outputCid)
  if (m.outputCid !== undefined) {
    cidField(type, `${at}/outputCid`, m.outputCid, DAG_CBOR_CODEC)
    // The blob is the output's canonical encoding, so its CID is the output hash.
    if (m.outputCid !== m.outputHash) throw invalid(type, `${at}/outputCid must equal outputHash`)
  } else {
    const actual = cidOfValue(m.output).toString()
    if (actual !== m.outputHash) {
      throw invalid(type, `${at}/outputHash does not match the inline output (its hash is ${actual})`)
    }
  }
}

function cidField(type: MessageType, path: string, text: string, codec: number): void {
  try {
    parseCid(text, { codec })
  } catch (err) {
    throw invalid(type, `${path} is not a valid CID: ${messageOf(err)}`, err)
  }
}

function exactlyOne(
  type: MessageType,
  at: string,
  a: string,
  aValue: unknown,
  b: string,
  bValue: unknown,
): void {
  const count = Number(aValue !== undefined) + Number(bValue !== undefined)
  if (count !== 1) {
    throw invalid(
      type,
      `${at === '' ? '(root)' : at} must have exactly one of ${a} or ${b}, found ${count === 0 ? 'neither' : 'both'}`,
    )
  }
}

function invalid(type: MessageType, problem: string, cause?: unknown): InvalidMessageError {
  return new InvalidMessageError(
    `invalid ${type} message: ${problem}`,
    cause === undefined ? undefined : { cause },
  )
}

function describe(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.slice(0, 40))
    : value === undefined
      ? 'nothing'
      : typeof value
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
