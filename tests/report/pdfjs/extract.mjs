// Print the text pdf.js (Firefox's PDF engine) extracts from a PDF: one page after another,
// separated by form feeds, items joined as pdf.js reports them (hasEOL -> newline).
// Usage: node extract.mjs FILE.pdf
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0, useSystemFonts: false, disableFontFace: true }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
}
process.stdout.write(pages.join("\f"));
