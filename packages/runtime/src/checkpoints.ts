/**
 * Where task checkpoints live. The runtime keeps them in memory; a contributor passes a
 * store backed by its database so that a task resumes after a restart.
 */
export interface CheckpointStore {
  load(key: string): unknown | Promise<unknown>
  save(key: string, state: unknown): void | Promise<void>
}

/** A checkpoint store in memory: checkpoints survive an aborted task, not the process. */
export function memoryCheckpoints(): CheckpointStore {
  const states = new Map<string, unknown>()
  return {
    load: (key) => states.get(key),
    save: (key, state) => {
      states.set(key, state)
    },
  }
}
