// npm run bench: every benchmark, one after the other; each prints its own lines.
import { formatThroughput, measureIntakeThroughput } from './intake-throughput.ts';
import { formatTimeToTicket, measureTimeToTicket } from './time-to-ticket.ts';

console.log(formatTimeToTicket(await measureTimeToTicket({ mails: Number(process.env.TTT_MAILS ?? 100) })));
console.log(formatThroughput(await measureIntakeThroughput()));
