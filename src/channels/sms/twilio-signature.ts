// X-Twilio-Signature, checked by Twilio's own code (validateRequest: HMAC-SHA1 over the URL and
// the sorted form fields, with the URL tried as signed, with and without its default port).
import twilio from 'twilio';

/**
 * The URL Twilio signed: the desk's public base URL and the request's path and query exactly as
 * they arrived (never rebuilt: a re-encoded or re-ordered query would no longer match).
 */
export function signedUrl(publicUrl: string, originalUrl: string): string {
  return publicUrl + originalUrl;
}

export function isSignedByTwilio(authToken: string, signature: string | undefined, url: string, params: Record<string, string | string[]>): boolean {
  return !!signature && twilio.validateRequest(authToken, signature, url, params);
}
