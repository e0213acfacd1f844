/**
 * Resolves on the first SIGINT or SIGTERM; a second one exits at once, for the impatient.
 */
export function untilSignal(onFirst?: (signal: string) => void): Promise<string> {
  return new Promise((resolve) => {
    const first = (signal: string): void => {
      process.off('SIGINT', first)
      process.off('SIGTERM', first)
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      onFirst?.(signal)
      resolve(signal)
    }
    process.on('SIGINT', first)
    process.on('SIGTERM', first)
  })
}
