// The workflow's desk-wide settings: rules per ticket type and the SLA policy for tickets
// without a contract policy. Kept in the settings table.
import type { Db } from '../db/client.ts';
import { normalizeRules, type WorkflowRules } from '../domain/transitions.ts';
import { deleteSetting, findSetting, upsertSetting } from './settings.ts';

const RULES_KEY = 'workflow.rules';
const DEFAULT_POLICY_KEY = 'workflow.defaultSlaPolicyId';

export async function getWorkflowRules(db: Db): Promise<WorkflowRules> {
  return normalizeRules(await findSetting(db, RULES_KEY));
}

export async function updateWorkflowRules(db: Db, rules: WorkflowRules, now: number): Promise<void> {
  await upsertSetting(db, RULES_KEY, rules, now);
}

export async function findDefaultSlaPolicyId(db: Db): Promise<number | undefined> {
  const v = await findSetting<number | null>(db, DEFAULT_POLICY_KEY);
  return typeof v === 'number' ? v : undefined;
}

/** Makes a policy the default, or (null) leaves the desk without one. */
export async function updateDefaultSlaPolicyId(db: Db, id: number | null, now: number): Promise<void> {
  // a setting's value is never null: no default is no setting
  if (id === null) await deleteSetting(db, DEFAULT_POLICY_KEY);
  else await upsertSetting(db, DEFAULT_POLICY_KEY, id, now);
}
