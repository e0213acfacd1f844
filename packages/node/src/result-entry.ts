import { DAG_CBOR_CODEC, cidOf, encode, type Json, type ResultEntry } from '@p2pc/protocol'
import type { Store } from '@p2pc/store'
import { INLINE_OUTPUT_BYTES } from './constants.ts'

/** The runtime class this peer's answers say they ran on, such as `node-26/x64`. */
export const RUNTIME_CLASS = `node-${process.versions.node.split('.')[0]}/${process.arch}`

/**
 * A task's answer: its output inline when small, else stored as a blob and named by CID; with
 * the bytes it adds to a batch.
 */
export async function resultEntry(
  task: number,
  output: Json,
  durationMs: number,
  keep: (write: () => Promise<string>) => Promise<string>,
  store: Store,
): Promise<{ entry: ResultEntry; bytes: number }> {
  const encoded = encode(output)
  const outputHash = cidOf(encoded, DAG_CBOR_CODEC).toString()
  if (encoded.length <= INLINE_OUTPUT_BYTES) {
    return { entry: { task, outputHash, output, durationMs }, bytes: encoded.length }
  }
  await keep(() => store.blobs.put(encoded, DAG_CBOR_CODEC))
  return { entry: { task, outputHash, outputCid: outputHash, durationMs }, bytes: outputHash.length }
}
