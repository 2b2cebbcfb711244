// Whether mail HTML nests elements deeper than a limit, in one linear pass. The HTML parser under
// sanitize-html keeps its open elements in an array it searches, so sanitizing is quadratic in the
// nesting depth: 2 MB of unclosed <div> took more than a minute. Real mail stays far below the
// limit (Chrome flattens anything deeper than 512). Follows what htmlparser2 builds, as
// mailparser's own check before its HTML-to-text conversion does (MIT).

// elements that never hold content: a start tag does not open a level
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// elements closed by their next sibling (p after p, td after td): an unclosed run does not nest
const IMPLIED_END = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp']);

export function htmlDeeperThan(html: string, maxDepth: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>(); // element name → how many are on the stack
  let i = html.indexOf('<');
  while (i >= 0) {
    let pos = i + 1;
    if (html.startsWith('!--', pos)) {
      const end = html.indexOf('-->', pos + 3);
      i = end < 0 ? -1 : html.indexOf('<', end + 3);
      continue;
    }
    const closing = html.charCodeAt(pos) === 0x2f; // "/"
    if (closing) pos++;
    const nameStart = pos;
    while (pos < html.length && /[A-Za-z0-9:_-]/.test(html[pos])) pos++;
    if (pos === nameStart) {
      i = html.indexOf('<', pos); // "<" is text here
      continue;
    }
    const end = html.indexOf('>', pos);
    if (end < 0) break;
    const name = html.slice(nameStart, pos).toLowerCase();
    if (!VOID.has(name) && !IMPLIED_END.has(name)) {
      if (!closing) {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (stack.length > maxDepth) return true;
      } else if (open.get(name)) {
        // an end tag closes down to the nearest open element of its name
        let popped: string | undefined;
        do {
          popped = stack.pop()!;
          open.set(popped, open.get(popped)! - 1);
        } while (popped !== name);
      }
    }
    i = html.indexOf('<', end + 1);
  }
  return false;
}
