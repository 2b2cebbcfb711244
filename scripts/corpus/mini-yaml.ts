// Just enough YAML to read the peers' expectation files (zammad's Ruby-YAML dumps): maps,
// lists of maps, plain/quoted/block scalars, tags ignored (!binary blocks come back as base64).
type Yaml = string | null | Yaml[] | { [k: string]: Yaml };

type Line = { indent: number; text: string; raw: string };

export function parseYaml(source: string): Yaml {
  const lines: Line[] = source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((l, i) => !(i === 0 && l.startsWith('---')) && l !== '...')
    .map((raw) => ({ indent: raw.length - raw.trimStart().length, text: raw.trim(), raw }));
  const pos = { i: 0 };
  // skip a leading "--- !tag" line
  if (lines[0]?.text.startsWith('---')) pos.i++;
  return parseBlock(lines, pos, 0);
}

function skipBlank(lines: Line[], pos: { i: number }) {
  while (pos.i < lines.length && (lines[pos.i].text === '' || lines[pos.i].text.startsWith('#'))) pos.i++;
}

function stripTag(v: string): string {
  return v.replace(/^!\S+\s*/, '');
}

function parseBlock(lines: Line[], pos: { i: number }, indent: number): Yaml {
  skipBlank(lines, pos);
  if (pos.i >= lines.length) return null;
  const first = lines[pos.i];
  if (first.text.startsWith('- ') || first.text === '-') return parseList(lines, pos, first.indent);
  return parseMap(lines, pos, Math.max(indent, first.indent));
}

function parseList(lines: Line[], pos: { i: number }, indent: number): Yaml[] {
  const out: Yaml[] = [];
  for (;;) {
    skipBlank(lines, pos);
    const l = lines[pos.i];
    if (!l || l.indent !== indent || !(l.text.startsWith('- ') || l.text === '-')) return out;
    const rest = stripTag(l.text.slice(1).trim());
    if (rest === '' ) {
      pos.i++;
      out.push(parseBlock(lines, pos, indent + 1));
    } else if (/^[^'"][^:]*:( |$)/.test(rest)) {
      // "- key: value" starts a map whose keys are indented like "key"
      const keyIndent = indent + (l.text.length - l.text.slice(1).trimStart().length);
      lines[pos.i] = { indent: keyIndent, text: rest, raw: ' '.repeat(keyIndent) + rest };
      out.push(parseMap(lines, pos, keyIndent));
    } else {
      pos.i++;
      out.push(scalar(rest, lines, pos, indent));
    }
  }
}

function parseMap(lines: Line[], pos: { i: number }, indent: number): { [k: string]: Yaml } {
  const out: { [k: string]: Yaml } = {};
  for (;;) {
    skipBlank(lines, pos);
    const l = lines[pos.i];
    if (!l || l.indent < indent) return out;
    if (l.indent > indent) {
      pos.i++;
      continue;
    }
    const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:]+?):(?: (.*)|$)/.exec(l.text);
    if (!m) return out;
    const key = m[1].replace(/^['"]|['"]$/g, '');
    const value = stripTag((m[2] ?? '').trim());
    pos.i++;
    if (value === '') {
      skipBlank(lines, pos);
      const next = lines[pos.i];
      if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) out[key] = parseBlock(lines, pos, next.indent);
      else out[key] = null;
    } else {
      out[key] = scalar(value, lines, pos, indent);
    }
  }
}

function scalar(v: string, lines: Line[], pos: { i: number }, indent: number): Yaml {
  if (v === '[]') return [];
  if (v === '{}') return {};
  if (v === '~' || v === 'null') return null;
  const block = /^([|>])([+-]?)(\d*)$/.exec(v);
  if (block) {
    const body: string[] = [];
    let blockIndent = -1;
    while (pos.i < lines.length) {
      const l = lines[pos.i];
      if (l.text !== '' && l.indent <= indent) break;
      if (l.text !== '' && blockIndent < 0) blockIndent = l.indent;
      body.push(l.text === '' ? '' : l.raw.slice(blockIndent));
      pos.i++;
    }
    let text = block[1] === '|' ? body.join('\n') : body.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ');
    if (block[2] === '-') text = text.replace(/\n+$/, '');
    else if (block[2] === '+') text = `${text}\n`;
    else text = `${text.replace(/\n+$/, '')}\n`;
    return text;
  }
  if (v.startsWith("'") || v.startsWith('"')) {
    const q = v[0];
    let text = v;
    const closed = (s: string) => (q === "'" ? /^'(?:[^']|'')*'$/.test(s) : /^"(?:[^"\\]|\\.)*"$/.test(s));
    while (!closed(text) && pos.i < lines.length) {
      const next = lines[pos.i].text;
      text += next === '' ? '\n' : (text.endsWith('\n') ? '' : ' ') + next;
      pos.i++;
    }
    const inner = text.slice(1, -1);
    if (q === "'") return inner.replace(/''/g, "'").replace(/ ?\n ?/g, '\n');
    return inner
      .replace(/\\\n\s*/g, '')
      .replace(/\\(["\\/nrt0abefvN_LP ]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_, e: string) => {
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };
        if (e.startsWith('x') || e.startsWith('u')) return String.fromCharCode(parseInt(e.slice(1), 16));
        return map[e] ?? e;
      });
  }
  // plain scalar, possibly continued on more-indented lines
  let text = v;
  while (pos.i < lines.length && lines[pos.i].text !== '' && lines[pos.i].indent > indent && !/^[^'"][^:]*:( |$)/.test(lines[pos.i].text)) {
    text += ` ${lines[pos.i].text}`;
    pos.i++;
  }
  return text;
}
