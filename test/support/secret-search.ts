// Searching text and files for secret bytes in the forms they could leak in: raw, hex (either
// case), base64 and base64url at each of the three byte alignments a longer encoded blob could
// place them at.

import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

export type Needle = { label: string; bytes: Uint8Array }
type Form = { label: string; text: string }

function base64Forms(bytes: Uint8Array, url: boolean): string[] {
  const out: string[] = []
  for (let shift = 0; shift < 3; shift++) {
    const buf = Buffer.concat([Buffer.alloc(shift), Buffer.from(bytes)])
    const enc = buf.toString(url ? 'base64url' : 'base64')
    // Only the characters whose 6 bits all come from the needle.
    out.push(enc.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6)))
  }
  return out
}

export function textForms(n: Needle): Form[] {
  const hex = Buffer.from(n.bytes).toString('hex')
  const forms: Form[] = [
    { label: `${n.label} hex`, text: hex },
    { label: `${n.label} HEX`, text: hex.toUpperCase() },
  ]
  for (const [i, t] of base64Forms(n.bytes, false).entries())
    forms.push({ label: `${n.label} base64@${i}`, text: t })
  for (const [i, t] of base64Forms(n.bytes, true).entries())
    forms.push({ label: `${n.label} base64url@${i}`, text: t })
  return forms
}

/** Labels of the needle forms found in `text`. */
export function findInText(text: string, needles: Needle[]): string[] {
  const hits: string[] = []
  for (const n of needles) {
    for (const f of textForms(n)) if (text.includes(f.text)) hits.push(f.label)
    if (text.includes(Buffer.from(n.bytes).toString('latin1'))) hits.push(`${n.label} raw`)
  }
  return hits
}

/** Labels of the needle forms found in `bytes` (raw, and every text form read as latin1). */
export function findInBytes(bytes: Uint8Array, needles: Needle[]): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const hits: string[] = []
  for (const n of needles) if (buf.indexOf(Buffer.from(n.bytes)) >= 0) hits.push(`${n.label} raw`)
  const text = buf.toString('latin1')
  for (const n of needles) for (const f of textForms(n)) if (text.includes(f.text)) hits.push(f.label)
  return hits
}

export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await filesUnder(p)))
    else if (e.isFile()) out.push(p)
  }
  return out
}

/** Every file under `dir` that holds a needle, with what was found. */
export async function searchFiles(
  dir: string,
  needles: Needle[],
): Promise<{ files: number; bytes: number; hits: { file: string; found: string[] }[] }> {
  const files = await filesUnder(dir)
  const hits: { file: string; found: string[] }[] = []
  let bytes = 0
  for (const f of files) {
    const content = await readFile(f)
    bytes += content.length
    const found = findInBytes(content, needles)
    if (found.length > 0) hits.push({ file: f, found })
  }
  return { files: files.length, bytes, hits }
}
