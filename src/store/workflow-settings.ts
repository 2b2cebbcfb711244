// The workflow's desk-wide settings: rules per ticket type and the SLA policy for tickets
// without a contract policy. Kept in the settings table.
import type { Db } from '../db/client.ts';
import { normalizeRules, type WorkflowRules } from '../domain/transitions.ts';
import { findSetting, upsertSetting } from './settings.ts';

const RULES_KEY = 'workflow.rules';
const DEFAULT_POLICY_KEY = 'workflow.defaultSlaPolicyId';

export function getWorkflowRules(db: Db): WorkflowRules {
  return normalizeRules(findSetting(db, RULES_KEY));
}

export function updateWorkflowRules(db: Db, rules: WorkflowRules, now: number): void {
  upsertSetting(db, RULES_KEY, rules, now);
}

export function findDefaultSlaPolicyId(db: Db): number | undefined {
  const v = findSetting<number | null>(db, DEFAULT_POLICY_KEY);
  return typeof v === 'number' ? v : undefined;
}

export function updateDefaultSlaPolicyId(db: Db, id: number | null, now: number): void {
  upsertSetting(db, DEFAULT_POLICY_KEY, id, now);
}
