/** A small HTTP client for the end-to-end suites (Node's fetch). */
import type { Json } from './helpers';

export interface GraphQLHttpResult {
  status: number;
  headers: Headers;
  body: Json;
}

export async function postGraphQL(
  baseUrl: string,
  key: string | null,
  payload: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<GraphQLHttpResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...extraHeaders,
  };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify(payload),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

export const errorCodes = (body: Json): unknown[] =>
  (body?.errors ?? []).map((e: Json) => e.extensions?.code);
