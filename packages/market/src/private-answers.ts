// Private answers (JobAnnounce.answers = 'private'): each Result carries a commitment as its
// outputHash and its answer in a box only the publisher can read. A task's tally counts only the
// answers opened so far: by the publisher's own reading, or by the openings its Seal publishes.
// Pure functions over one task's record, like the tally.
import { commitmentOf } from '@p2pc/protocol'
import type { Json, Opening, Result } from '@p2pc/protocol'
import type { ResultEnvelope } from './tally.ts'

/** An opening heard for a task, with the output it opens to when that is known. */
interface OpeningRecord {
  opening: Opening
  output: Json | undefined
}

/** What a task record holds of private answers. */
export interface PrivateAnswers {
  /**
   * In a job with private answers, its answers, one per signer (the smallest envelope id);
   * before the announce, every result heard, waiting to be judged. Undefined otherwise.
   */
  answers?: ResultEnvelope[] | undefined
  /** Openings heard, by signer. */
  openings?: Map<string, OpeningRecord[]> | undefined
}

/**
 * Adds an answer, one per signer: of two by one signer, the smaller envelope id stays.
 *
 * @returns whether the task's answers changed
 */
export function addAnswer(task: PrivateAnswers, result: ResultEnvelope): boolean {
  const answers = (task.answers ??= [])
  const at = answers.findIndex((other) => other.signer === result.signer)
  if (at < 0) answers.push(result)
  else if (result.id < answers[at]!.id) answers[at] = result
  else return false
  return true
}

/**
 * Adds an opening, and the output it opens to when known. Whether it opens anything is judged
 * against the answers (`openAnswers`), whichever comes first.
 *
 * @returns whether it told something new
 */
export function addOpening(task: PrivateAnswers, opening: Opening, output: Json | undefined): boolean {
  const openings = (task.openings ??= new Map<string, OpeningRecord[]>())
  let records = openings.get(opening.signer)
  if (records === undefined) openings.set(opening.signer, (records = []))
  const same = records.find(
    (record) => record.opening.salt === opening.salt && record.opening.outputHash === opening.outputHash,
  )
  if (same === undefined) records.push({ opening, output })
  else if (same.output === undefined && output !== undefined) same.output = output
  else return false
  return true
}

/**
 * Recomputes the task's counted results from its answers: the publisher's answers in the open as
 * they are, and every boxed answer that an opening heard opens, as the answer in the open it
 * commits to. An opening opens an answer when its commitment, for the answer's own signer, is the
 * answer's `outputHash`: a copy of someone else's box, or a made-up opening, opens nothing.
 *
 * @returns whether the counted results changed
 */
export function openAnswers(
  task: PrivateAnswers & { results: ResultEnvelope[] },
  publisher: string,
): boolean {
  const opened: ResultEnvelope[] = []
  for (const answer of task.answers ?? []) {
    if (answer.message.box === undefined) {
      // Only the publisher's spot checks travel in the open (`JobState.accepts`).
      if (answer.signer === publisher && answer.message.check === true) opened.push(answer)
      continue
    }
    const record = matchingOpening(task, answer)
    if (record !== undefined) opened.push(openedResult(answer, record))
  }
  const before = task.results
  const same =
    before.length === opened.length &&
    before.every((result, i) => result.id === opened[i]!.id && result.message === opened[i]!.message)
  if (same) return false
  task.results = opened
  return true
}

/** The openings that open the task's answers, sorted by signer: what the publisher's seal publishes. */
export function openingsOf(task: PrivateAnswers): Opening[] {
  const openings: Opening[] = []
  for (const answer of task.answers ?? []) {
    if (answer.message.box === undefined) continue
    const record = matchingOpening(task, answer)
    if (record !== undefined) openings.push(record.opening)
  }
  return openings.sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : 0))
}

/** Whether a signer answered the task, opened or not. */
export function answeredBy(task: PrivateAnswers, signer: string): boolean {
  for (const answer of task.answers ?? []) if (answer.signer === signer) return true
  return false
}

/** Openings checked against commitments, so that re-opening a task hashes nothing twice. */
const opens = new WeakMap<OpeningRecord, Map<string, boolean>>()

function matchingOpening(task: PrivateAnswers, answer: ResultEnvelope): OpeningRecord | undefined {
  for (const record of task.openings?.get(answer.signer) ?? []) {
    let checked = opens.get(record)
    if (checked === undefined) opens.set(record, (checked = new Map()))
    const commitment = answer.message.outputHash
    let ok = checked.get(commitment)
    if (ok === undefined) {
      ok = commitmentOf(record.opening.outputHash, answer.signer, record.opening.salt) === commitment
      checked.set(commitment, ok)
    }
    if (ok) return record
  }
  return undefined
}

/** Opened results, one object per answer and opening, so that an unchanged opening keeps its identity. */
const openedCache = new WeakMap<
  ResultEnvelope,
  { record: OpeningRecord; output: Json | undefined; result: ResultEnvelope }
>()

/**
 * A private answer as the answer in the open it commits to. Its output, when the opening does not
 * carry it, is known by its hash only: it agrees with answers of the same hash, like an output by CID.
 */
function openedResult(answer: ResultEnvelope, record: OpeningRecord): ResultEnvelope {
  const cached = openedCache.get(answer)
  if (cached !== undefined && cached.record === record && cached.output === record.output)
    return cached.result
  const { box: _box, ...rest } = answer.message
  const { outputHash, error } = record.opening
  const body =
    error !== undefined
      ? { error }
      : record.output !== undefined
        ? { output: record.output }
        : { outputCid: outputHash }
  const message = { ...rest, outputHash, ...body } as Result
  const result = { id: answer.id, signer: answer.signer, message }
  openedCache.set(answer, { record, output: record.output, result })
  return result
}
