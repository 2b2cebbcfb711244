// The OpenAPI 3.1 document, generated from the route table and its zod schemas.
import { z } from 'zod';
import { API_ROUTES, type ApiRoute } from './routes.ts';
import { errorOut } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

function schemaOf(s: z.ZodTypeAny, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** "/tickets/:number" → "/tickets/{number}" */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_]+)/g, '{$1}');
}

const ERRORS: Record<string, string> = {
  '401': 'No token, or a token that is unknown, revoked, expired or whose user is inactive (code unauthenticated)',
  '403': 'The token\'s user lacks the permission, or the token is read-only and the method is not GET (code forbidden), or the user is an agent and the ticket is someone else\'s (code not_your_ticket)',
  '404': 'Not found (code not_found)',
  '422': 'Invalid input (code validation, with fields) or a status change the workflow refuses (code transition_refused)',
};

export function openApiDocument(publicUrl: string, routes: readonly ApiRoute[] = API_ROUTES): JsonSchema {
  const error = schemaOf(errorOut, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = openApiPath(r.path);
    const pathParams = [...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } }));
    const queryParams = r.query
      ? Object.entries(r.query.shape).map(([name, s]) => ({
          name, in: 'query', required: false,
          description: (s as z.ZodTypeAny).description,
          schema: schemaOf(s as z.ZodTypeAny, 'input'),
        }))
      : [];
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: schemaOf(r.response, 'output') } } },
    };
    for (const [code, description] of Object.entries({ ...ERRORS, ...r.errors })) {
      if (code === '404' && pathParams.length === 0) continue;
      if (code === '422' && !r.body && !r.query) continue;
      responses[code] = { description, content: { 'application/json': { schema: error } } };
    }
    (paths[p] ??= {})[r.method] = {
      operationId: `${r.method}${p.replace(/[{}]/g, '').split('/').map((x) => x.charAt(0).toUpperCase() + x.slice(1)).join('')}`,
      summary: r.summary,
      tags: [r.tag],
      description: `Needs the permission \`${r.permission}\`.`,
      parameters: [...pathParams, ...queryParams],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Help desk REST API',
      version: '1',
      description: 'Tickets, replies, notes, time, contacts, organizations and reports. Authenticate with `Authorization: Bearer <token>` (make one with `helpdesk token create --user EMAIL` or on your profile page). Errors are `{"error": {"code", "message"}}` with stable codes.',
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/openapi.json': { get: { operationId: 'getOpenapi', summary: 'This document', tags: ['meta'], security: [], responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      ...paths,
    },
  };
}
