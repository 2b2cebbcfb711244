import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { waitUntil } from '../../test/helpers/mail.ts';
import { applyDeliverySettings, clearDelivery, saveSmtp, saveTwilio, smtpUrl, watchDeliverySettings } from './delivery-settings.ts';

const SID = `AC${'ab'.repeat(16)}`;

describe('outgoing mail and SMS settings saved in the console', () => {
  let deps: TestDeps | undefined;
  afterEach(() => deps?.close());

  it('writes the server address nodemailer reads, with the login escaped', () => {
    expect(smtpUrl({ host: 'smtp.yandex.ru', port: 465, security: 'tls', username: 'help@firm.ru' }, 'a:b@c/d %')).toBe('smtps://help%40firm.ru:a%3Ab%40c%2Fd%20%25@smtp.yandex.ru:465');
    expect(smtpUrl({ host: 'relay.lan', port: 25, security: 'none', username: '' }, '')).toBe('smtp://relay.lan:25');
    expect(smtpUrl({ host: '::1', port: 587, security: 'starttls', username: 'u' }, '')).toBe('smtp://u@[::1]:587');
  });

  it('applies what is saved, to every process that listens, and nothing once it is cleared', async () => {
    deps = await makeTestDeps({ TWILIO_API_URL: 'http://127.0.0.1:9' });
    // another desk process on the same database, with its own config
    const other = { ...deps, config: structuredClone(deps.config) };
    const stop = await watchDeliverySettings(other);
    try {
      await saveSmtp(deps.db, { host: 'smtp.firm.ru', port: 587, security: 'starttls', username: 'help', password: 'secret', from: 'Help <help@firm.ru>' }, 1, deps.secrets.credentials);
      await saveTwilio(deps.db, { accountSid: SID, authToken: 'token', from: '+15005550006' }, 1, deps.secrets.credentials);
      await waitUntil('the other process has the settings', () => other.config.twilio !== undefined, 5000);
      expect(other.config.smtp).toEqual({ url: 'smtp://help:secret@smtp.firm.ru:587', from: 'Help <help@firm.ru>', allowPlaintext: false });
      expect(other.config.twilio).toEqual({ accountSid: SID, authToken: 'token', from: '+15005550006', apiUrl: 'http://127.0.0.1:9' });
      // a save without a new secret keeps the stored one
      await saveSmtp(deps.db, { host: 'smtp.firm.ru', port: 465, security: 'tls', username: 'help', password: null, from: 'help@firm.ru' }, 2, deps.secrets.credentials);
      await waitUntil('the other process has the new port', () => other.config.smtp?.url.startsWith('smtps:') === true, 5000);
      expect(other.config.smtp?.url).toBe('smtps://help:secret@smtp.firm.ru:465');
      await clearDelivery(deps.db, 'smtp');
      await waitUntil('the other process has mail off', () => other.config.smtp === undefined, 5000);
      expect(other.config.twilio).toBeDefined();
    } finally {
      await stop();
    }
  });

  it('leaves the environment\'s settings alone', async () => {
    deps = await makeTestDeps({ SMTP_URL: 'smtp://env.example:25', MAIL_FROM: 'env@desk.example' });
    await saveSmtp(deps.db, { host: 'smtp.firm.ru', port: 587, security: 'starttls', username: '', password: '', from: 'help@firm.ru' }, 1, deps.secrets.credentials);
    await applyDeliverySettings(deps);
    expect(deps.config.smtp).toMatchObject({ url: 'smtp://env.example:25', from: 'env@desk.example' });
  });

  it('turns a channel off, and says why, when its secret was sealed under another key', async () => {
    deps = await makeTestDeps();
    await saveTwilio(deps.db, { accountSid: SID, authToken: 'token', from: '+15005550006' }, 1, randomBytes(32).toString('base64url'));
    const errors: string[] = [];
    deps.log.error = ((_obj: unknown, msg: string) => void errors.push(msg)) as typeof deps.log.error;
    await applyDeliverySettings(deps);
    expect(deps.config.twilio).toBeUndefined();
    expect(errors).toEqual([expect.stringMatching(/^SMS settings saved in the console cannot be used: the stored Twilio auth token cannot be read/)]);
  });
});
