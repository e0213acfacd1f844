import test from 'ava'
import { createProgressBar, renderProgressLine } from '../../src/lib/progress-bar.ts'

test('the line shows done/total, the rate and the ETA', (t) => {
  t.is(
    renderProgressLine(10, 40, 2),
    `[${'█'.repeat(7)}${'░'.repeat(21)}] 10/40 tasks · 5.0 tasks/s · ETA 6s`,
  )
  t.is(renderProgressLine(0, 10, 1), `[${'░'.repeat(28)}] 0/10 tasks · 0.0 tasks/s · ETA –`)
  t.is(renderProgressLine(1, 1000, 1), `[${'░'.repeat(28)}] 1/1000 tasks · 1.0 tasks/s · ETA 16m 39s`)
  t.regex(renderProgressLine(5, 5, 1), /5\/5 tasks · 5\.0 tasks\/s · done$/)
})

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = []
  const stream = { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream
  return { stream, written }
}

test('on a terminal it redraws at most ten times a second and ends with a newline', (t) => {
  let clock = 0
  const { stream, written } = fakeStream(true)
  const bar = createProgressBar({ total: 3, stream, now: () => clock })
  clock = 150
  bar.update(1)
  clock = 160
  bar.update(2) // too soon after the last draw
  bar.finish()
  t.is(written.length, 3)
  t.regex(written[0]!, /^\r.*1\/3 tasks/)
  t.regex(written[1]!, /^\r.*2\/3 tasks/)
  t.is(written[2], '\n')
})

test('off a terminal it draws nothing', (t) => {
  const { stream, written } = fakeStream(false)
  const bar = createProgressBar({ total: 2, stream })
  bar.update(1)
  bar.finish()
  t.deepEqual(written, [])
})
