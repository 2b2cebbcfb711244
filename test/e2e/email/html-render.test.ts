// Mail HTML is sanitised when it is shown, not only when it was stored: a message stored by an
// older, weaker sanitiser is shown without what the current one removes (console and API).
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/actions/api-tokens.ts';
import { insertMessage } from '../../../src/store/messages.ts';
import { ticket } from '../../helpers/factories.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';

const STORED = '<p>Printer is broken</p><img src="x" onerror="alert(document.cookie)"><script>alert(1)</script><a href="javascript:alert(2)">link</a>';

describe('mail HTML rendered from an old, badly sanitised row', () => {
  const desk = useTestDesk();

  it('shows it without scripts or event handlers, on the ticket page and in the API', async () => {
    const agent = await desk.person('Dmitry Ivanov');
    const t = await ticket(desk.srv.services, agent);
    // written directly, as an older version of the desk could have stored it
    await insertMessage(desk.deps.db, {
      ticketId: t.id, kind: 'reply', direction: 'in', channel: 'email', fromAddress: 'anna@client.example',
      subject: 'Printer', bodyText: 'Printer is broken', bodyHtml: STORED, createdAt: desk.deps.clock.now(),
    });

    const b = await desk.signIn(agent);
    const page = await b.get(`/tickets/${t.number}`);
    expect(page.status).toBe(200);
    const html = /<div class="mail-html">([\s\S]*?)<\/div>/.exec(page.text)?.[1];
    expect(html).toContain('<p>Printer is broken</p>');
    expect(html).not.toMatch(/onerror|<script|javascript:/i);

    const { token } = await createApiToken(desk.deps, agent, { name: 'test' });
    const res = await fetch(`${desk.srv.url}/api/v1/tickets/${t.number}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { data: { messages: { html: string | null }[] } };
    const api = body.data.messages.find((m) => m.html)!.html!;
    expect(api).toContain('<p>Printer is broken</p>');
    expect(api).not.toMatch(/onerror|<script|javascript:/i);
  });
});
