// One MIME entity as text read one char a byte (latin1): its header block, the blank line, its
// body; and a body's transfer encoding undone. Shared by the repair pass (mime-repair.ts) and the
// listing of text parts the parser folds into the body (body-parts.ts).

export type Entity = { head: string; sep: string; body: string; whole: boolean };

/** The header block and body of an entity; `whole` is false when there is no blank line (all header). */
export function splitEntity(entity: string): Entity {
  const split = /\r?\n\r?\n/.exec(entity);
  if (!split) return { head: entity, sep: '', body: '', whole: false };
  return { head: entity.slice(0, split.index), sep: split[0], body: entity.slice(split.index + split[0].length), whole: true };
}

/** The bytes of a body after its Content-Transfer-Encoding (base64, quoted-printable, or as is). */
export function transferDecode(body: string, cte: string): Buffer {
  if (cte === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable') {
    const s = body.replace(/=\r?\n/g, '');
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        out.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(s.charCodeAt(i) & 0xff);
    }
    return Buffer.from(out);
  }
  return Buffer.from(body, 'latin1');
}
