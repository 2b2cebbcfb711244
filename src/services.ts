// Wires the use-case services (intake, …) from deps. main.ts, the CLI and the tests build the
// same services, so what is tested is what runs.
import type { Deps } from './deps.ts';
import { parseEmail } from './channels/email/parse-email.ts';
import { createIntake, type Intake } from './intake/receive.ts';

export type Services = {
  intake: Intake;
};

export function buildServices(deps: Deps): Services {
  const intake = createIntake(deps, { parsers: { email: parseEmail }, hooks: [] });
  return { intake };
}
