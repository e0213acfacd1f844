import type { FirstSync } from './peer-types.ts'

/**
 * Resolves with how a peer's wait for its first sync ends, from its events: `'synced'` at its
 * first `sync`, `'alone'` at its `lonely`, `'unreached'` after `timeoutMs` with neither.
 */
export function nextSync(
  peer: EventTarget,
  { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
): Promise<FirstSync> {
  signal?.throwIfAborted()
  return new Promise((resolve, reject) => {
    const end = (outcome: FirstSync | Error): void => {
      clearTimeout(timer)
      peer.removeEventListener('sync', onSync)
      peer.removeEventListener('lonely', onLonely)
      signal?.removeEventListener('abort', onAbort)
      if (outcome instanceof Error) reject(outcome)
      else resolve(outcome)
    }
    const onSync = (): void => end('synced')
    const onLonely = (): void => end('alone')
    const onAbort = (): void => end(signal!.reason as Error)
    const timer = setTimeout(() => end('unreached'), timeoutMs)
    peer.addEventListener('sync', onSync)
    peer.addEventListener('lonely', onLonely)
    signal?.addEventListener('abort', onAbort)
  })
}
