// Finds the lines of a file that most resemble a SEARCH part that did not match, so the model can copy them.

/** Only the first lines of a long SEARCH part are compared: enough to locate it, cheap on big files. */
const MAX_COMPARED_LINES = 40
/** Below this mean line similarity the lines shown would only mislead. */
const MIN_SIMILARITY = 0.35
/** How many file lines a SEARCH line may skip to find its counterpart. */
const SLACK_LINES = 3
/** A SEARCH line this similar to a file line is taken as that line. */
const PAIRED_SIMILARITY = 0.5

export interface ClosestLines {
  /** 1-based, inclusive */
  firstLine: number
  lastLine: number
  lines: string[]
  similarity: number
}

/**
 * The lines of the file most similar to `searchLines`: each SEARCH line is paired, in order, with the most
 * similar file line a few lines ahead (models drop or add a line, like a docstring), by character bigrams.
 */
export function findClosestLines(fileLines: string[], searchLines: string[]): ClosestLines | undefined {
  const compared = searchLines.slice(0, MAX_COMPARED_LINES).map(line => line.trim())
  if (compared.length === 0 || fileLines.length === 0) return undefined
  const fileTrimmed = fileLines.map(line => line.trim())
  const fileBigrams = fileTrimmed.map(bigrams)
  const searchBigrams = compared.map(bigrams)
  // each (file line, SEARCH line) pair is compared from several window starts: remember the results
  const known = new Float32Array(fileLines.length * compared.length).fill(-1)
  const similarityAt = (j: number, k: number): number => {
    const index = j * compared.length + k
    if (known[index] < 0) known[index] = similarity(fileTrimmed[j], compared[k], fileBigrams[j], searchBigrams[k])
    return known[index]
  }
  const pairing = (start: number): { first: number; last: number; similarity: number } => {
    let total = 0
    let previous = start - 1
    let first = -1
    for (let k = 0; k < compared.length; k++) {
      let bestLine = -1
      let bestSimilarity = 0
      const limit = Math.min(fileLines.length - 1, start + k + SLACK_LINES)
      for (let j = Math.max(previous + 1, start + k - SLACK_LINES); j <= limit; j++) {
        const value = similarityAt(j, k)
        if (value > bestSimilarity) {
          bestLine = j
          bestSimilarity = value
        }
      }
      total += bestSimilarity
      if (bestSimilarity >= PAIRED_SIMILARITY) {
        previous = bestLine
        if (first < 0) first = bestLine
      }
    }
    return { first, last: previous, similarity: total / compared.length }
  }

  let best = { first: -1, last: -1, similarity: 0 }
  for (let start = 0; start < fileLines.length; start++) {
    const candidate = pairing(start)
    if (candidate.similarity > best.similarity && candidate.first >= 0) best = candidate
  }
  if (best.first < 0 || best.similarity < MIN_SIMILARITY) return undefined
  // show the whole span of the SEARCH part, even past the last line that looked alike
  const last = Math.min(fileLines.length - 1, Math.max(best.last, best.first + searchLines.length - 1))
  return {
    firstLine: best.first + 1,
    lastLine: last + 1,
    lines: fileLines.slice(best.first, last + 1),
    similarity: best.similarity
  }
}

/** A line's character bigrams as sorted numbers, so two lines compare by one merge. */
type Bigrams = Uint32Array

/** Dice coefficient of the two lines' bigram multisets; 1 for equal lines. */
function similarity(a: string, b: string, aGrams: Bigrams, bGrams: Bigrams): number {
  if (a === b) return 1
  if (aGrams.length === 0 || bGrams.length === 0) return 0
  let shared = 0
  let i = 0
  let j = 0
  while (i < aGrams.length && j < bGrams.length) {
    if (aGrams[i] === bGrams[j]) {
      shared++
      i++
      j++
    } else if (aGrams[i] < bGrams[j]) i++
    else j++
  }
  return (2 * shared) / (aGrams.length + bGrams.length)
}

function bigrams(text: string): Bigrams {
  const grams = new Uint32Array(Math.max(0, text.length - 1))
  for (let i = 0; i + 1 < text.length; i++) grams[i] = text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1)
  return grams.sort()
}

/** How alike two lines are, 0 to 1, ignoring the whitespace around them. */
export function lineSimilarity(a: string, b: string): number {
  const left = a.trim()
  const right = b.trim()
  return similarity(left, right, bigrams(left), bigrams(right))
}
