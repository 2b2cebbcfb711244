import { expect, it } from 'vitest';
import { renderCanned } from './canned.ts';

it('fills the known placeholders, tolerating spaces and case', () => {
  const out = renderCanned('Hi {{requester.name}}, about #{{ ticket.number }} — {{Agent.Name}}', {
    'requester.name': 'Anna', 'ticket.number': 42, 'agent.name': 'Olga',
  });
  expect(out).toBe('Hi Anna, about #42 — Olga');
});

it('leaves unknown placeholders as typed and blanks known ones without a value', () => {
  expect(renderCanned('{{requester.name}}|{{constructor.prototype}}|{{organization.name}}', { 'requester.name': 'B' })).toBe('B|{{constructor.prototype}}|');
});

it('inserts values as plain text (templates escape them later)', () => {
  expect(renderCanned('Dear {{requester.name}}', { 'requester.name': '<script>x</script>' })).toBe('Dear <script>x</script>');
});
