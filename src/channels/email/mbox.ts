// Splits an mbox file into messages (mboxrd: ">From " lines are unescaped); a single mail passes through.

export function splitMbox(raw: Buffer): Buffer[] {
  const text = raw.toString('latin1');
  if (!text.startsWith('From ')) return [raw];
  const parts: Buffer[] = [];
  const re = /^From [^\r\n]*\r?\n/gm;
  const starts: { at: number; body: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index === 0 || text[m.index - 1] === '\n') starts.push({ at: m.index, body: m.index + m[0].length });
  }
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1].at : text.length;
    const body = text.slice(starts[i].body, end).replace(/^>(>*From )/gm, '$1').replace(/(\r?\n)\r?\n$/, '$1');
    parts.push(Buffer.from(body, 'latin1'));
  }
  return parts;
}
