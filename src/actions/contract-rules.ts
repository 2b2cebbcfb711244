// Contract consequences on a ticket: the billable (out-of-scope) flag and the per-ticket time
// budget notice. Run inside the change's transaction.
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { LocaleStrings } from '../i18n/locale-strings.ts';
import { budgetExceeded, checkScope } from '../domain/contract.ts';
import { insertEvent } from '../store/events.ts';
import { findOrganization } from '../store/organizations.ts';
import { contractOfTicket } from '../store/contract-of.ts';
import { getTicket, updateTicket, type Ticket } from '../store/tickets.ts';
import { formatDuration } from '../i18n/labels.ts';
import { queueStaffNotice } from './staff-notices.ts';
import { noticeRecipients } from '../store/notice-recipients.ts';
import { readWorkflowState } from '../store/workflow-state.ts';
import { writeWorkflowState } from './sla-sync.ts';

/** Flags a request outside the contract (component or channel not covered) as billable, unless a manager decided. */
export async function updateBillableFlag(db: Db, ticketId: number, now: number): Promise<Ticket> {
  const t = await getTicket(db, ticketId);
  if (readWorkflowState(t).billableManual) return t;
  const scope = checkScope(await contractOfTicket(db, t), t);
  if (scope.outOfScope === t.billable) return t;
  await updateTicket(db, t.id, { billable: scope.outOfScope }, now);
  await insertEvent(db, { ticketId: t.id, actor: { kind: 'system' }, type: 'ticket.billable', data: { billable: scope.outOfScope, reasons: scope.reasons } }, now);
  return { ...t, billable: scope.outOfScope };
}

/** After time is logged: one notice to the assignee and the component manager when the budget is passed. */
export async function checkTimeBudget(db: Db, deps: Pick<Deps, 'config'> & { locales: LocaleStrings }, ticketId: number, now: number): Promise<boolean> {
  const t = await getTicket(db, ticketId);
  const contract = await contractOfTicket(db, t);
  const logged = t.loggedMinutes;
  if (!budgetExceeded(contract, logged)) return false;
  const state = readWorkflowState(t);
  if (state.fired.includes('budget:exceeded')) return false;
  const budget = contract.ticketTimeBudgetMinutes ?? 0;
  const recipients = (await noticeRecipients(db, t, { escalate: true })).map((r) => r.user);
  const organization = t.organizationId ? ((await findOrganization(db, t.organizationId))?.name ?? '') : '';
  await queueStaffNotice(db, deps, t, recipients, {
    template: 'budget_exceeded',
    event: 'budget_exceeded',
    vars: (user) => ({
      budget: formatDuration(deps.locales, budget * 60_000, user.locale),
      logged: formatDuration(deps.locales, logged * 60_000, user.locale),
      over: formatDuration(deps.locales, (logged - budget) * 60_000, user.locale),
      organization,
    }),
  }, now);
  await insertEvent(db, { ticketId: t.id, actor: { kind: 'system' }, type: 'ticket.budget_exceeded', data: { budgetMinutes: budget, loggedMinutes: logged } }, now);
  await writeWorkflowState(db, t, { ...state, fired: [...state.fired, 'budget:exceeded'] }, now);
  return true;
}
