// Test PDFs made on the spot: an overview's text laid out the way a word processor prints it (word by
// word, headings in bold, footnote markers raised, furniture where the text has it), any other text
// document, a scan with no text layer, and damaged files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { PNG } from 'pngjs';

const fonts = join(__dirname, '..', 'node_modules', 'dejavu-fonts-ttf', 'ttf');
const A4: [number, number] = [595, 842];
const MARGIN = 56;
const SIZE = 10;
const LEADING = 13;

async function newDocument(): Promise<{ doc: PDFDocument; regular: PDFFont; bold: PDFFont }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // A Unicode TrueType font, so that ’ ● © – • print as themselves.
  const regular = await doc.embedFont(readFileSync(join(fonts, 'DejaVuSans.ttf')), { subset: true });
  const bold = await doc.embedFont(readFileSync(join(fonts, 'DejaVuSans-Bold.ttf')), { subset: true });
  return { doc, regular, bold };
}

/** Draws a line word by word, so that spaces come from the gaps between words as in many real PDFs. */
function drawWords(page: PDFPage, line: string, x0: number, y: number, font: PDFFont, size: number): void {
  let x = x0;
  for (const token of line.split(/(\s+)/)) {
    if (token === '') continue;
    if (!/^\s+$/.test(token)) page.drawText(token, { x, y, size, font });
    x += font.widthOfTextAtSize(token, size);
  }
}

/** An overview's text as a PDF: one printed line per line of text, a new page after each "Page n/m". */
export async function overviewPdf(text: string): Promise<Uint8Array> {
  const { doc, regular, bold } = await newDocument();
  let page = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  let blank = false;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line === '') {
      // Runs of empty lines are one gap on paper.
      if (!blank) y -= LEADING;
      blank = true;
      continue;
    }
    blank = false;
    if (y < MARGIN) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
    const indent = /^\s*/.exec(line)![0];
    const x = MARGIN + regular.widthOfTextAtSize(indent, SIZE);
    const body = line.trim();
    const heading = /\?$/.test(body) || /^Other information about /.test(body);
    const marker = /^(\S+?)(\d+[A-Z]?\d*)( \(.*\))$/.exec(body);
    if (marker) {
      // The title's footnote marker, raised and smaller, glued to the name.
      const [, name, mark, rest] = marker;
      page.drawText(name, { x, y, size: SIZE, font: bold });
      const afterName = x + bold.widthOfTextAtSize(name, SIZE);
      page.drawText(mark, { x: afterName, y: y + 4, size: 6, font: regular });
      drawWords(page, rest, afterName + regular.widthOfTextAtSize(mark, 6), y, bold, SIZE);
    } else if (/^\d \S/.test(body) && !heading) {
      // A footnote: its number raised, then the note in a smaller size.
      page.drawText(body[0], { x, y: y + 3, size: 6, font: regular });
      drawWords(page, body.slice(2), x + 6, y, regular, 8);
    } else {
      drawWords(page, body, x, y, heading ? bold : regular, heading ? SIZE + 1 : SIZE);
    }
    y -= LEADING;
    if (/^Page \d+\/\d+$/.test(body)) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
  }
  return doc.save();
}

/** Any text document that is not an EMA overview. */
export async function otherTextPdf(lines: string[]): Promise<Uint8Array> {
  const { doc, regular } = await newDocument();
  const page = doc.addPage(A4);
  lines.forEach((line, i) => drawWords(page, line, MARGIN, A4[1] - MARGIN - i * LEADING, regular, SIZE));
  return doc.save();
}

/** A scanned page: one picture and no text layer. */
export async function scannedPdf(): Promise<Uint8Array> {
  const png = new PNG({ width: 120, height: 160 });
  for (let i = 0; i < png.data.length; i += 4) {
    // Grey paper with darker bands where the lines of text were.
    const row = Math.floor(i / 4 / png.width);
    const shade = row % 8 < 2 ? 60 : 235;
    png.data.set([shade, shade, shade, 255], i);
  }
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(PNG.sync.write(png));
  const page = doc.addPage(A4);
  page.drawRectangle({ x: 0, y: 0, width: A4[0], height: A4[1], color: rgb(1, 1, 1) });
  page.drawImage(image, { x: 0, y: 0, width: A4[0], height: A4[1] });
  return doc.save();
}

/** The first part of a file, as a download cut short leaves it. */
export function truncated(data: Uint8Array): Uint8Array {
  return data.subarray(0, Math.floor(data.length / 2));
}

/** A file named .pdf that holds no PDF at all. */
export function garbage(): Uint8Array {
  return Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
}
