/** One ```sh block of the README's walkthrough: its text and the line its fence opens on (1-based). */
export interface WalkthroughBlock {
  line: number;
  text: string;
}

const OPEN = /^<!-- walkthrough\b.*-->\s*$/;
const CLOSE = /^<!-- \/walkthrough -->\s*$/;
const SH_FENCE = /^```sh\s*$/;
const ANY_FENCE = /^```/;

/**
 * The README's runnable walkthrough: every ```sh fenced block that lies between a
 * `<!-- walkthrough … -->` line and the next `<!-- /walkthrough -->` line, in document order.
 * Other fences inside a region (```json answers) are shown only; blocks outside the regions (the
 * first `npm install && npm start` block, PostgreSQL, Development) never run. Throws on a marker
 * left open or closed twice, or a fence never closed, so a broken region cannot silently run nothing.
 */
export function walkthroughBlocks(markdown: string): WalkthroughBlock[] {
  const lines = markdown.split('\n');
  const blocks: WalkthroughBlock[] = [];
  let inRegion = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (ANY_FENCE.test(line)) {
      const end = lines.findIndex((candidate, j) => j > i && /^```\s*$/.test(candidate));
      if (end === -1) throw new Error(`README line ${i + 1}: a fence that never closes`);
      if (inRegion && SH_FENCE.test(line)) blocks.push({ line: i + 1, text: lines.slice(i + 1, end).join('\n') });
      i = end;
    } else if (OPEN.test(line)) {
      if (inRegion) throw new Error(`README line ${i + 1}: <!-- walkthrough --> inside another`);
      inRegion = true;
    } else if (CLOSE.test(line)) {
      if (!inRegion) throw new Error(`README line ${i + 1}: <!-- /walkthrough --> without its opening`);
      inRegion = false;
    }
  }
  if (inRegion) throw new Error('README: a <!-- walkthrough --> region is never closed');
  return blocks;
}
