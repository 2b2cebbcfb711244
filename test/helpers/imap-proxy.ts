// A TCP proxy in front of a real IMAP server that can rewrite protocol lines on their way, to make
// a real server misbehave in one chosen way (report wrong sizes, ignore a partial fetch). Lines are
// rewritten whole; literals ({n} at a line's end, then n bytes) pass through untouched. It also
// records what went through: the client's command lines and the bytes the server sent.
import net from 'node:net';

export type ImapProxy = {
  host: string;
  port: number;
  /** every command line the client sent (after rewriting), literals left out */
  readonly clientLines: string[];
  /** bytes sent from the server to the client (after rewriting) */
  readonly serverBytes: number;
  close(): Promise<void>;
};

export type ProxyOptions = {
  target: { host: string; port: number };
  /** a line from the server, without its CRLF */
  serverLine?: (line: string) => string;
  /** a command line from the client, without its CRLF */
  clientLine?: (line: string) => string;
};

/** Splits a byte stream into lines and literals, rewriting the lines. */
function lineRewriter(rewrite: (line: string) => string, seen: (line: string) => void, out: (b: Buffer) => void) {
  let buf: Buffer = Buffer.alloc(0);
  let literal = 0; // bytes of a literal still to pass through
  return (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (literal > 0) {
        if (!buf.length) return;
        const n = Math.min(literal, buf.length);
        out(buf.subarray(0, n));
        buf = buf.subarray(n);
        literal -= n;
        continue;
      }
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const line = rewrite(buf.subarray(0, eol).toString('latin1'));
      seen(line);
      buf = buf.subarray(eol + 2);
      out(Buffer.from(`${line}\r\n`, 'latin1'));
      const m = /\{(\d+)\+?\}$/.exec(line);
      if (m) literal = Number(m[1]);
    }
  };
}

export async function startImapProxy(opts: ProxyOptions): Promise<ImapProxy> {
  const clientLines: string[] = [];
  let serverBytes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(opts.target.port, opts.target.host);
    sockets.add(client).add(upstream);
    const fromClient = lineRewriter(opts.clientLine ?? ((l) => l), (l) => clientLines.push(l), (b) => upstream.write(b));
    const fromServer = lineRewriter(opts.serverLine ?? ((l) => l), () => {}, (b) => {
      serverBytes += b.length;
      client.write(b);
    });
    client.on('data', fromClient);
    upstream.on('data', fromServer);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('close', end);
      s.on('error', end);
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port: addr.port,
    clientLines,
    get serverBytes() {
      return serverBytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
