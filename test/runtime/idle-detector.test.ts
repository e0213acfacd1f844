import test from 'ava'
import { IdleDetector } from '../../packages/runtime/src/idle-detector.ts'

const detector = (): IdleDetector =>
  new IdleDetector({ pauseAbove: 0.5, resumeBelow: 0.25, pauseAfter: 3, resumeAfter: 2 })

/** Feeds loads one by one and returns whether the pool was paused after each. */
function run(loads: number[]): boolean[] {
  const idle = detector()
  return loads.map((load) => idle.observe(load))
}

test('pauses only after enough busy samples in a row', (t) => {
  t.deepEqual(run([0.9, 0.9, 0.9]), [false, false, true])
  t.deepEqual(run([0.9, 0.9, 0.1, 0.9, 0.9]), [false, false, false, false, false], 'a dip restarts the count')
  t.deepEqual(run([0.5, 0.5, 0.5]), [false, false, false], 'at the threshold is not above it')
})

test('resumes only after enough quiet samples in a row, well below the pause threshold', (t) => {
  const busy = [0.9, 0.9, 0.9]
  t.deepEqual(run([...busy, 0.1, 0.1]).slice(3), [true, false])
  t.deepEqual(
    run([...busy, 0.4, 0.4, 0.4, 0.4]).slice(3),
    [true, true, true, true],
    'between the thresholds it stays paused: no flapping',
  )
  t.deepEqual(run([...busy, 0.1, 0.9, 0.1, 0.1]).slice(3), [true, true, true, false])
})
