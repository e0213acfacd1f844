// The baseline's worker: imports the same bundled workload and calls its run, with nothing around it.
import { pathToFileURL } from 'node:url'

const modules = new Map()

export default async function run({ bundle, input }) {
  let module = modules.get(bundle)
  if (module === undefined) {
    module = import(pathToFileURL(bundle).href)
    modules.set(bundle, module)
  }
  return (await module).default.run(input)
}
