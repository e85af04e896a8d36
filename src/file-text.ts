// How a file's bytes become text to edit, and that text bytes again, byte for byte. A file is edited as text only
// when its bytes decode and encode back exactly: UTF-8 (a BOM kept as U+FEFF), UTF-16 with a BOM, or the encoding
// its PEP 263 coding line declares (`# -*- coding: latin-1 -*-`). Anything else is refused for editing with a
// reason the model can act on; it is never rewritten.
import { isUtf8 } from 'node:buffer'
import iconv from 'iconv-lite'

export const Utf8 = 'utf-8'

export type DecodedText = { ok: true; text: string; encoding: string } | { ok: false; reason: string }
export type EncodedText = { ok: true; bytes: Buffer } | { ok: false; reason: string }

/** git's test for a binary file: a NUL byte in the first 8,000 bytes. */
const BINARY_PROBE_BYTES = 8000

/** The text of `bytes` and the encoding that gives exactly these bytes back, or why there is none. */
export function decodeFileText(bytes: Buffer): DecodedText {
  const utf16 = utf16ByBom(bytes)
  if (utf16 !== undefined) return decodeExactly(bytes, utf16, `${utf16.toUpperCase()} (it starts with that byte order mark)`)
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { ok: false, reason: 'it is a binary file (it holds NUL bytes)' }
  const startsWithUtf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  const declared = startsWithUtf8Bom ? undefined : declaredEncoding(bytes)
  if (declared !== undefined && !isUtf8Name(declared)) {
    if (!iconv.encodingExists(declared)) {
      return { ok: false, reason: `its coding line declares '${declared}', an encoding pytest-fixer cannot write back byte for byte` }
    }
    return decodeExactly(bytes, declared, `${declared}, as its coding line declares`)
  }
  if (!isUtf8(bytes)) {
    const hint =
      declared === undefined
        ? ' and declares no other encoding (a PEP 263 line such as `# -*- coding: latin-1 -*-`)'
        : ', although its coding line says UTF-8'
    return { ok: false, reason: `it is not valid UTF-8${hint}, so it cannot be edited without risk to its bytes` }
  }
  return { ok: true, text: bytes.toString('utf8'), encoding: Utf8 }
}

/**
 * The bytes of `text` in `encoding`, or why they cannot be written: characters the encoding has no bytes for, or
 * an edit of the coding line itself (the file would then say one encoding and hold another).
 */
export function encodeFileText(text: string, encoding: string, previousText: string | null = null): EncodedText {
  if (previousText !== null) {
    const before = declaredEncodingOfText(previousText)
    const after = declaredEncodingOfText(text)
    if (normalizedName(before ?? Utf8) !== normalizedName(after ?? Utf8)) {
      return {
        ok: false,
        reason: `the edit changes the file's declared encoding (${before ?? 'none'} → ${after ?? 'none'}); keep its coding line as it is`
      }
    }
  }
  const bytes = isUtf8Name(encoding) ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding)
  const back = isUtf8Name(encoding) ? bytes.toString('utf8') : iconv.decode(bytes, encoding, { stripBOM: false })
  if (back === text) return { ok: true, bytes }
  const missing = [...new Set([...text].filter(char => !encodesExactly(char, encoding)))]
  const shown = missing.slice(0, 5).map(char => `'${char}' (U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')})`)
  return {
    ok: false,
    reason:
      `the file is ${displayName(encoding)} and the edit writes ${shown.join(', ')}${missing.length > 5 ? ' and more' : ''}, which ${displayName(encoding)} cannot hold; ` +
      'write such characters with escapes (e.g. "\\u20ac") or leave them out'
  }
}

function decodeExactly(bytes: Buffer, encoding: string, described: string): DecodedText {
  const text = iconv.decode(bytes, encoding, { stripBOM: false })
  if (iconv.encode(text, encoding).equals(bytes)) return { ok: true, text, encoding }
  return { ok: false, reason: `its bytes are not valid ${described}, so it cannot be edited without risk to its bytes` }
}

function encodesExactly(char: string, encoding: string): boolean {
  if (isUtf8Name(encoding)) return Buffer.from(char, 'utf8').toString('utf8') === char
  return iconv.decode(iconv.encode(char, encoding), encoding, { stripBOM: false }) === char
}

function utf16ByBom(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  return undefined
}

/** PEP 263: `coding[:=]\s*([-\w.]+)` in a comment on line 1 or 2 (line 2 only when line 1 is a comment or blank). */
const CODING_LINE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/

function declaredEncoding(bytes: Buffer): string | undefined {
  // the coding line itself is ASCII in every encoding Python accepts for source
  return declaredEncodingOfText(bytes.subarray(0, 1024).toString('latin1'))
}

function declaredEncodingOfText(text: string): string | undefined {
  const [first = '', second = ''] = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 2)
  const onFirst = CODING_LINE.exec(first)
  if (onFirst) return onFirst[1].toLowerCase()
  if (!/^[ \t\f]*(#.*)?$/.test(first)) return undefined
  return CODING_LINE.exec(second)?.[1].toLowerCase()
}

function normalizedName(name: string): string {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '')
  return compact === 'utf8' || compact === 'utf8sig' ? 'utf8' : compact
}

function isUtf8Name(name: string): boolean {
  return normalizedName(name) === 'utf8'
}

function displayName(encoding: string): string {
  return isUtf8Name(encoding) ? 'UTF-8' : encoding
}
