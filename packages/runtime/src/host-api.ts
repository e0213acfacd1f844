/**
 * The host side of `ctx`: what a task's worker calls through Comlink on the task's port.
 * Its methods run in the thread that owns the pool.
 */
export interface HostApi {
  progress(fraction: number): void
  log(message: string): void
  checkpoint(state: unknown): Promise<void>
  restore(): Promise<unknown>
  /** A round trip with no effect: once it answers, every earlier call on the port was handled. */
  flush(): void
}

/** A message on a task port that is not Comlink's: the host asking the task to stop. */
export interface AbortRequest {
  p2pcAbort: { name: string; message: string }
}

/**
 * A message on a task port that is not Comlink's: the worker telling the host that the task
 * has left the queue and started, which is when its deadline starts to run and when the caller's
 * `onStart` hears of it.
 */
export interface StartedNotice {
  p2pcStarted: true
}

export function isAbortRequest(data: unknown): data is AbortRequest {
  return typeof (data as AbortRequest | null)?.p2pcAbort?.name === 'string'
}

export function isStartedNotice(data: unknown): data is StartedNotice {
  return (data as StartedNotice | null)?.p2pcStarted === true
}
