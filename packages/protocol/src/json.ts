import { MAX_JSON_DEPTH } from './constants.ts'

/** A JSON value: what task inputs, outputs and job params may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const LONE_SURROGATE = /\p{Cs}/u

/**
 * Finds the first part of a value that is not plain JSON, or nested deeper than
 * `maxDepth`. DAG-CBOR can carry bytes, CIDs, big integers and `undefined`-free
 * class instances that JSON cannot; messages must not, so that every peer sees the
 * same value through JSON Schemas and workload code.
 *
 * @returns a description such as `/params/a is a Uint8Array`, or `undefined` when the value is plain JSON
 */
export function findNonJson(
  value: unknown,
  path = '',
  maxDepth: number = MAX_JSON_DEPTH,
): string | undefined {
  return walk(value, path, maxDepth)
}

function walk(value: unknown, path: string, depthLeft: number): string | undefined {
  const where = path === '' ? '(root)' : path
  switch (typeof value) {
    case 'boolean':
      return undefined
    case 'string':
      // A lone surrogate would be replaced while encoding to UTF-8, so the value would change on the wire.
      return LONE_SURROGATE.test(value) ? `${where} is a string with a lone surrogate` : undefined
    case 'number':
      return Number.isFinite(value) ? undefined : `${where} is a non-finite number`
    case 'object': {
      if (value === null) return undefined
      if (depthLeft <= 0) return `${where} is nested too deeply`
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = walk(value[i], `${path}/${i}`, depthLeft - 1)
          if (problem !== undefined) return problem
        }
        return undefined
      }
      const proto: unknown = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) {
        return `${where} is a ${value.constructor?.name ?? 'non-plain object'}, not a plain object`
      }
      for (const [key, item] of Object.entries(value)) {
        const problem = walk(item, `${path}/${escapePointer(key)}`, depthLeft - 1)
        if (problem !== undefined) return problem
      }
      return undefined
    }
    default:
      return `${where} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`
  }
}

/** Escapes a key as a JSON Pointer segment, like ajv's instance paths. */
function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1')
}
