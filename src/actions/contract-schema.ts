// The rules for an organisation's contract fields, written once: `contractSchema` takes typed values
// (API, organisation form), `contractFormSchema` reads the contract form's text ("1500.50", "20h")
// field by field and hands each value to the same rule. What only the database knows (does the SLA
// policy exist, do the components) is checked by `checkContractReferences`.
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { CHANNELS, type Channel } from '../db/schema.ts';
import { parseDurationMinutes, parseMoneyCents } from '../domain/quantities.ts';
import { listComponents } from '../store/components.ts';
import { invalid } from '../domain/errors.ts';
import { slaPolicyExists } from '../store/sla-policy-options.ts';

/** The largest value each field takes (money in minor units, times in minutes); more is a typo. */
export const CONTRACT_LIMITS = {
  monthlyFeeCents: 1e12,
  includedMinutes: 1e7,
  hourlyRateCents: 1e10,
  reopenLimit: 100,
  reopenWindowDays: 3650,
  ticketTimeBudgetMinutes: 1e6,
} as const;

const L = CONTRACT_LIMITS;

const count = (max: number, what: string, tooLarge = `${what}: at most ${max}`) =>
  z.number({ message: `${what}: enter a whole number` }).int().min(0, `${what} cannot be negative`).max(max, tooLarge).nullable().default(null);

/** A list naming each entry once; an empty list covers everything, like null. */
const distinct = <T>(list: T[] | null): T[] | null => (list?.length ? [...new Set(list)] : null);

const policyId = 'Choose an existing SLA policy';

export const contractSchema = z.object({
  monthlyFeeCents: count(L.monthlyFeeCents, 'Monthly fee', 'The monthly fee is too large'),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'Currency is a three-letter code such as RUB or USD').default('RUB'),
  includedMinutes: count(L.includedMinutes, 'Included minutes'),
  hourlyRateCents: count(L.hourlyRateCents, 'Hourly rate', 'The hourly rate is too large'),
  reopenLimit: count(L.reopenLimit, 'Reopen limit'),
  reopenWindowDays: count(L.reopenWindowDays, 'Reopen window'),
  ticketTimeBudgetMinutes: count(L.ticketTimeBudgetMinutes, 'Time budget'),
  slaPolicyId: z.number({ message: policyId }).int(policyId).positive(policyId).nullable().default(null),
  coveredComponentIds: z.array(z.number().int().positive()).nullable().default(null).transform(distinct),
  coveredChannels: z.array(z.enum(CHANNELS)).nullable().default(null).transform(distinct),
});

export type ContractInput = z.input<typeof contractSchema>;
export type ContractValues = z.output<typeof contractSchema>;

const F = contractSchema.shape;

/**
 * A form field: `read` turns the text into a value (undefined when it cannot), then `rule` applies.
 * (The transform's type admits undefined only so that `pipe` accepts rules with a default.)
 */
function fromText<R extends z.ZodType<unknown, number | null | undefined>>(read: (text: string | undefined) => number | null | undefined, unreadable: (text: string | undefined) => string, rule: R) {
  return z
    .string()
    .optional()
    .transform((text, ctx): number | null | undefined => {
      const v = read(text);
      if (v !== undefined) return v;
      ctx.issues.push({ code: 'custom', message: unreadable(text), input: text });
      return z.NEVER;
    })
    .pipe(rule);
}

const money = (rule: typeof F.monthlyFeeCents) => fromText(parseMoneyCents, (t) => `“${t}” is not an amount like 1500 or 1500.50`, rule);
const duration = (rule: typeof F.includedMinutes) => fromText((t) => parseDurationMinutes(t), (t) => `“${t}” is not a duration like 20h or 90m`, rule);
const wholeNumber = (max: number, rule: typeof F.reopenLimit) =>
  fromText(
    (t) => {
      const s = (t ?? '').trim();
      if (!s) return null;
      return /^\d+$/.test(s) ? Number(s) : undefined;
    },
    () => `A whole number from 0 to ${max}, or empty for no limit`,
    rule,
  );

/** Ticked boxes, or null when "all" is ticked; ticking nothing at all is a mistake. */
const ticked = (message: string) => z.array(z.string()).nullable().refine((v) => v === null || v.length > 0, message);

/** What the contract form posts: the text of each field, and "all" or the ticked ids per list. */
export type ContractForm = {
  monthlyFee?: string;
  currency?: string;
  includedTime?: string;
  hourlyRate?: string;
  reopenLimit?: string;
  reopenWindowDays?: string;
  timeBudget?: string;
  slaPolicyId?: string;
  allComponents?: boolean;
  componentIds?: string[];
  allChannels?: boolean;
  channels?: string[];
};

// Errors are keyed by the form's field names so the form shows each next to its field.
const formFields = z.object({
  monthlyFee: money(F.monthlyFeeCents),
  currency: F.currency,
  includedTime: duration(F.includedMinutes),
  hourlyRate: money(F.hourlyRateCents),
  reopenLimit: wholeNumber(L.reopenLimit, F.reopenLimit),
  reopenWindowDays: wholeNumber(L.reopenWindowDays, F.reopenWindowDays),
  timeBudget: duration(F.ticketTimeBudgetMinutes),
  slaPolicyId: fromText((t) => (!t?.trim() ? null : /^\d+$/.test(t.trim()) ? Number(t) : undefined), () => policyId, F.slaPolicyId),
  componentIds: ticked('Tick the covered components, or “all components”')
    .transform((ids): number[] | null | undefined => ids && ids.map(Number))
    .pipe(F.coveredComponentIds),
  channels: ticked('Tick the covered channels, or “all channels”')
    .transform((c) => c as Channel[] | null | undefined)
    .pipe(F.coveredChannels),
});

/** The contract form into contract values, by the rules of `contractSchema`. */
export const contractFormSchema = z
  .preprocess((form) => {
    const f = (form ?? {}) as ContractForm;
    return { ...f, componentIds: f.allComponents ? null : (f.componentIds ?? []), channels: f.allChannels ? null : (f.channels ?? []) };
  }, formFields)
  .transform(
    (f): ContractValues => ({
      monthlyFeeCents: f.monthlyFee, currency: f.currency, includedMinutes: f.includedTime, hourlyRateCents: f.hourlyRate, reopenLimit: f.reopenLimit,
      reopenWindowDays: f.reopenWindowDays, ticketTimeBudgetMinutes: f.timeBudget, slaPolicyId: f.slaPolicyId, coveredComponentIds: f.componentIds, coveredChannels: f.channels,
    }),
  );

/** Field names for the two references, when a form names them differently. */
export type ReferenceKeys = { slaPolicyId: string; coveredComponentIds: string };

/** The SLA policy and the covered components must exist. */
export async function checkContractReferences(
  db: Db,
  v: Pick<ContractValues, 'slaPolicyId' | 'coveredComponentIds'>,
  keys: ReferenceKeys = { slaPolicyId: 'slaPolicyId', coveredComponentIds: 'coveredComponentIds' },
): Promise<void> {
  if (v.slaPolicyId !== null && !await slaPolicyExists(db, v.slaPolicyId)) throw invalid('Choose an existing SLA policy', { [keys.slaPolicyId]: 'Unknown policy' });
  if (v.coveredComponentIds) {
    const known = new Set((await listComponents(db)).map((c) => c.id));
    if (v.coveredComponentIds.some((c) => !known.has(c))) throw invalid('Choose existing components', { [keys.coveredComponentIds]: 'Unknown component' });
  }
}

export const CONTRACT_FORM_KEYS: ReferenceKeys = { slaPolicyId: 'slaPolicyId', coveredComponentIds: 'componentIds' };
