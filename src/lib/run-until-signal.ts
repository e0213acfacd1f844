/**
 * Resolves on the first SIGINT or SIGTERM; a second one exits at once, for the impatient, with
 * 130 (SIGINT) or 143 (SIGTERM), after `onSecond` has said what that leaves undone.
 */
export function untilSignal(
  handlers: { onFirst?: (signal: string) => void; onSecond?: (signal: string) => void } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const second = (signal: string, code: number) => (): void => {
      handlers.onSecond?.(signal)
      process.exit(code)
    }
    const first = (signal: string): void => {
      process.off('SIGINT', first)
      process.off('SIGTERM', first)
      process.once('SIGINT', second('SIGINT', 130))
      process.once('SIGTERM', second('SIGTERM', 143))
      handlers.onFirst?.(signal)
      resolve(signal)
    }
    process.on('SIGINT', first)
    process.on('SIGTERM', first)
  })
}
