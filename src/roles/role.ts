// A started role (web, intake, outbox, scheduler) that main.ts stops on shutdown.
export type RunningRole = { name: string; stop(): Promise<void> };
