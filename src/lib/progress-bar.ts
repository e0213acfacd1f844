/** Options of {@link createProgressBar}. */
export interface ProgressBarInit {
  total: number
  /** Where to draw; only a TTY gets a bar. @default process.stderr */
  stream?: NodeJS.WriteStream
  /** The clock, injectable for tests. @default Date.now */
  now?: () => number
}

/** A one-line live progress bar: done/total, tasks/s and ETA, redrawn at most ten times a second. */
export interface ProgressBar {
  update(done: number): void
  /** Draws the final state and moves to a new line. */
  finish(): void
}

const WIDTH = 28
const REDRAW_MS = 100

export function createProgressBar(init: ProgressBarInit): ProgressBar {
  const stream = init.stream ?? process.stderr
  const now = init.now ?? Date.now
  const started = now()
  let done = 0
  let lastDraw = 0
  let finished = false
  const enabled = stream.isTTY === true

  const draw = (): void => {
    lastDraw = now()
    const elapsed = Math.max(1, lastDraw - started) / 1000
    stream.write(`\r${renderProgressLine(done, init.total, elapsed)}\u001b[K`)
  }
  return {
    update(value) {
      done = value
      if (enabled && !finished && now() - lastDraw >= REDRAW_MS) draw()
    },
    finish() {
      if (!enabled || finished) return
      finished = true
      draw()
      stream.write('\n')
    },
  }
}

/** The text of the bar, e.g. `[██████░░░░] 12/64 tasks · 35.2 tasks/s · ETA 2s`. */
export function renderProgressLine(done: number, total: number, elapsedSeconds: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total)
  const filled = Math.round(fraction * WIDTH)
  const rate = done / elapsedSeconds
  const eta = done === total ? 'done' : rate > 0 ? `ETA ${formatSeconds((total - done) / rate)}` : 'ETA –'
  return `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${done}/${total} tasks · ${rate.toFixed(1)} tasks/s · ${eta}`
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${Math.ceil(seconds % 60)}s`
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`
}
