import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileContracts, GEN_DIR, renderGenFiles } from './compile.ts'

describe('contracts/gen', () => {
  it('is up to date with contracts/src (run `npm run contracts:build` if this fails)', () => {
    const files = renderGenFiles(compileContracts().contracts)
    expect(readdirSync(GEN_DIR).sort()).toEqual([...files.keys()].sort())
    for (const [name, content] of files) {
      expect(readFileSync(join(GEN_DIR, name), 'utf8'), name).toBe(content)
    }
  })
})
