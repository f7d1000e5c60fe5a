// Reads the text of a PDF with Mozilla's pdf.js. pdf.js gives positioned pieces of text, not lines, so
// the lines are rebuilt from where the pieces sit on the page: the cleaner recognises page furniture
// (running headers, page numbers, the address block) by whole lines, as a text extraction prints them.
import type { TextItem } from 'pdfjs-dist/types/src/display/api';

/** A problem with the input file itself, worth one line to the person who gave it. */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** A piece of text where pdf.js found it: baseline at (x, y), y growing upwards, `size` the font size. */
export interface PlacedText {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

export interface PdfText {
  /** One line per printed line, the pages one after another. */
  text: string;
  pages: number;
}

/**
 * Rebuilds a page's lines: pieces whose baselines lie within half a font size of each other are one
 * line (so a raised footnote marker stays on its line), read left to right; a gap wider than a sixth of
 * the font size between two pieces is a space.
 */
export function linesOf(pieces: readonly PlacedText[]): string[] {
  const placed = pieces.filter((p) => p.str.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: { y: number; size: number; pieces: PlacedText[] }[] = [];
  for (const piece of placed) {
    const line = lines[lines.length - 1];
    if (line && Math.abs(line.y - piece.y) <= Math.max(line.size, piece.size) / 2) {
      line.pieces.push(piece);
      // The line's baseline is that of its largest text, not of a superscript that came first.
      if (piece.size > line.size) Object.assign(line, { y: piece.y, size: piece.size });
    } else {
      lines.push({ y: piece.y, size: piece.size, pieces: [piece] });
    }
  }
  return lines.map((line) => {
    let out = '';
    let end = -Infinity;
    for (const p of line.pieces.sort((a, b) => a.x - b.x)) {
      const gap = p.x - end;
      if (out !== '' && gap > line.size / 6 && !/\s$/.test(out) && !/^\s/.test(p.str)) out += ' ';
      out += p.str;
      end = Math.max(end, p.x + p.width);
    }
    return out.replace(/\s+$/, '');
  });
}

/** A PDF file ends with an end-of-file marker; one cut short in a download has lost it. */
function checkEnvelope(data: Uint8Array): void {
  const head = Buffer.from(data.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new SourceError('not a PDF file (it has no %PDF header)');
  const tail = Buffer.from(data.subarray(Math.max(0, data.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw new SourceError('damaged PDF file: it has no end-of-file marker (cut short?)');
  }
}

/** The text of a PDF, line by line. Throws a SourceError for a damaged or text-less file. */
export async function readPdf(data: Uint8Array): Promise<PdfText> {
  checkEnvelope(data);
  // pdf.js is an ES module; Node 20.19+ loads it from CommonJS. The legacy build runs on Node 20.
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    // pdf.js takes the buffer over: give it a copy.
    data: new Uint8Array(data),
    stopAtErrors: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (err) {
      if ((err as Error).name === 'PasswordException') throw new SourceError('the PDF is password-protected');
      throw new SourceError(`damaged PDF file: ${(err as Error).message}`);
    }
    const lines: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      let items;
      try {
        items = (await (await doc.getPage(n)).getTextContent()).items;
      } catch (err) {
        throw new SourceError(`damaged PDF file: page ${n}: ${(err as Error).message}`);
      }
      const pieces = items
        .filter((i): i is TextItem => 'str' in i)
        .map((i) => ({
          str: i.str,
          x: i.transform[4],
          y: i.transform[5],
          width: i.width,
          // The font size is the length of the text matrix's vertical vector.
          size: Math.hypot(i.transform[2], i.transform[3]) || i.height || 1,
        }));
      lines.push(...linesOf(pieces));
    }
    if (lines.every((l) => l.trim() === '')) {
      throw new SourceError(`the PDF has no text to read (${doc.numPages} page(s) of images: a scan?)`);
    }
    return { text: `${lines.join('\n')}\n`, pages: doc.numPages };
  } finally {
    await task.destroy();
  }
}
