// Whether mail HTML nests elements deeper than a limit, in one linear pass. The HTML parser under
// sanitize-html keeps its open elements in an array it searches, so sanitizing is quadratic in the
// nesting depth: 2 MB of unclosed <div> took more than a minute. Real mail stays far below the
// limit (Chrome flattens anything deeper than 512). Follows what htmlparser2 builds, as
// mailparser's own check before its HTML-to-text conversion does (MIT).

// elements that never hold content: a start tag does not open a level
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// htmlparser2's openImpliesClose: a start tag of the key first closes open elements of the set, but
// only while one of them is the innermost (so <li><p><li><p>… does nest: p is not closed by li)
const P = ['p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const CLOSES = new Map<string, Set<string>>(
  Object.entries({
    tr: ['tr', 'th', 'td'], th: ['th'], td: ['thead', 'th', 'td'], body: ['head', 'link', 'script'], li: ['li'],
    p: P, h1: P, h2: P, h3: P, h4: P, h5: P, h6: P,
    select: FORM, input: FORM, output: FORM, button: FORM, datalist: FORM, textarea: FORM,
    option: ['option'], optgroup: ['optgroup', 'option'], dd: ['dd', 'dt'], dt: ['dd', 'dt'],
    address: P, article: P, aside: P, blockquote: P, details: P, div: P, dl: P, fieldset: P, figcaption: P, figure: P,
    footer: P, form: P, header: P, hr: P, main: P, nav: P, ol: P, pre: P, section: P, table: P, ul: P,
    rt: ['rt', 'rp'], rp: ['rt', 'rp'], tbody: ['thead', 'tbody'], tfoot: ['thead', 'tbody'],
  }).map(([k, v]) => [k, new Set(v)]),
);

export function htmlDeeperThan(html: string, maxDepth: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>(); // element name → how many are on the stack
  const pop = () => {
    const popped = stack.pop()!;
    open.set(popped, open.get(popped)! - 1);
    return popped;
  };
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
    if (!closing) {
      const closes = CLOSES.get(name);
      while (closes && stack.length > 0 && closes.has(stack[stack.length - 1])) pop();
      if (!VOID.has(name)) {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (stack.length > maxDepth) return true;
      }
    } else if (!VOID.has(name) && open.get(name)) {
      // an end tag closes down to the nearest open element of its name
      while (pop() !== name);
    }
    i = html.indexOf('<', end + 1);
  }
  return false;
}
