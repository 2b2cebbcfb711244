// The web role: the console, API and webhooks on PORT/HOST.
import type { Server } from 'node:http';
import { createApp } from '../web/app.ts';
import type { Services } from '../services.ts';
import type { RunningRole } from './role.ts';
import { warnIfPublicUrlIsWrong, type PublicUrlCheck } from './public-url-check.ts';

export async function startWeb(services: Services): Promise<RunningRole & { server: Server; port: number; publicUrlCheck: Promise<PublicUrlCheck> }> {
  const { ctx } = services;
  const app = await createApp(ctx, services.web);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(ctx.config.port, ctx.config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  ctx.log.info({ url: `http://${ctx.config.host}:${port}`, publicUrl: ctx.config.publicUrl }, 'web console listening');
  const publicUrlCheck = ctx.config.publicUrlConfigured
    ? warnIfPublicUrlIsWrong({ publicUrl: ctx.config.publicUrl, secret: ctx.secrets.session, log: ctx.log })
    : Promise.resolve<PublicUrlCheck>({ ok: true });
  return {
    name: 'web',
    server,
    port,
    publicUrlCheck,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      }),
  };
}
